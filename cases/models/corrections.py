"""Readers' reports of a wrong figure or case, and the editors' decisions on them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Versioned, edit_history
from .metrics import Metric
from .projects import Project

WHAT_IS_WRONG_MAX_LENGTH = 2000
EVIDENCE_MAX_LENGTH = 1000


class CorrectionQuerySet(models.QuerySet):
    def new(self):
        """Reports no editor has decided on yet."""
        return self.filter(status=Correction.Status.NEW)

    def fixes_of(self, figure):
        """Accepted reports that name an edit of `figure` as their fix."""
        return self.filter(
            status=Correction.Status.ACCEPTED, fixed_by__isnull=False, fixed_by__id=figure.pk
        )


class Correction(Versioned):
    """A reader's report that a figure or a case is wrong. The reporter's e-mail is for the
    editors' reply only and is never shown on a public page."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    figure = models.ForeignKey(
        Metric,
        verbose_name=_("figure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    case = models.ForeignKey(
        Project,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    what_is_wrong = models.TextField(
        _("what is wrong"),
        max_length=WHAT_IS_WRONG_MAX_LENGTH,
        help_text=_("In the reader's words, e.g. The report says 22,859 people, not 22,589."),
    )
    evidence = models.TextField(
        _("evidence"),
        max_length=EVIDENCE_MAX_LENGTH,
        blank=True,
        help_text=_("A link or a quotation, e.g. the page of the report that gives the figure."),
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Only for replying to the reader; never shown on the site."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    reply_note = models.TextField(
        _("reply note"),
        blank=True,
        help_text=_("What the editors decided and why, e.g. Corrected: the report says 22,859."),
    )
    fixed_by = models.ForeignKey(
        Metric.history.model,
        verbose_name=_("fixed by the edit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The edit of the figure that corrected it; its public history then says it was "
            "corrected after a reader's report."
        ),
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("reader's report")
        verbose_name_plural = _("readers' reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(figure__isnull=False) | Q(case__isnull=False),
                name="correction_names_figure_or_case",
                violation_error_message=_("A report is about a figure or a case."),
            ),
            models.CheckConstraint(
                condition=Q(fixed_by__isnull=True) | Q(status="accepted"),
                name="correction_fixed_only_when_accepted",
                violation_error_message=_("Only an accepted report is fixed by an edit."),
            ),
        ]

    def __str__(self):
        subject = self.figure or self.case
        return f"{self.get_status_display()}: {subject}"

    @property
    def subject(self):
        """The figure the report is about, or else its case."""
        return self.figure or self.case

    def clean(self):
        errors = {}
        if not (self.figure_id or self.case_id):
            errors["figure"] = ValidationError(
                _("A report is about a figure or a case."), code="subject_missing"
            )
        if self.fixed_by_id and self.status != self.Status.ACCEPTED:
            errors["fixed_by"] = ValidationError(
                _("Accept the report to link the edit that fixed it."),
                code="fixed_by_not_accepted",
            )
        elif self.fixed_by_id and self.figure_id and self.fixed_by.id != self.figure_id:
            errors["fixed_by"] = ValidationError(
                _("Choose an edit of the figure this report is about."),
                code="fixed_by_other_figure",
            )
        elif self.fixed_by_id and not self.figure_id and self.fixed_by.project_id != self.case_id:
            errors["fixed_by"] = ValidationError(
                _("Choose an edit of one of this case's figures."), code="fixed_by_other_case"
            )
        if errors:
            raise ValidationError(errors)
