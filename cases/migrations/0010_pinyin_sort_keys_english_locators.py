"""Names sort in pinyin order in Chinese (a sort key stored on every company, case and issue,
filled here for existing rows), and locators get an English form beside the document's own."""

from django.db import migrations, models

from cases.models.base import pinyin_sort_key


def fill_name_sort(apps, schema_editor):
    """Give every existing company, case and issue its pinyin sort key."""
    for name in ("Company", "Project", "SocialIssue"):
        model = apps.get_model("cases", name)
        records = list(model.objects.only("pk", "name_zh"))
        for record in records:
            record.name_sort = pinyin_sort_key(record.name_zh)
        model.objects.bulk_update(records, ["name_sort"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_open_two_factor_enrolment"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="name_sort",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Filled from the Chinese name on save, e.g. douyinxunren for 抖音寻人.",
                max_length=255,
                verbose_name="pinyin sort key",
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="historicalindexindicator",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="historicalmetric",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="indexindicator",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="metric",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="locator_en",
            field=models.CharField(
                blank=True,
                help_text="e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20",
                max_length=300,
                verbose_name="locator (English)",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="name_sort",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Filled from the Chinese name on save, e.g. douyinxunren for 抖音寻人.",
                max_length=255,
                verbose_name="pinyin sort key",
            ),
        ),
        migrations.AddField(
            model_name="socialissue",
            name="name_sort",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Filled from the Chinese name on save, e.g. douyinxunren for 抖音寻人.",
                max_length=255,
                verbose_name="pinyin sort key",
            ),
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop),
    ]
