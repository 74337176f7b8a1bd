"""The curated synonym table (fixtures/05_search_synonyms.json) finds, in the curated
casebook, what readers told us they looked for and missed."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def found(client, q):
    response = client.get(reverse("cases:case_list"), {"q": q})
    return [case.slug for case in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("elderly", "tencent-silver-guardian"),
        ("disability", "wechat-pay-zili-xiaodian"),
        ("missing persons", "douyin-xunren"),
        ("走失", "douyin-xunren"),
        ("elderly care", "tencent-silver-guardian"),
    ],
)
def test_the_curated_synonyms_find_what_readers_looked_for(client, curated_data, q, expected):
    assert expected in found(client, q)
