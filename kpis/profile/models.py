"""Printed problem profiles: a PDF per force, 12 months, offence group and data version."""

from django.db import models

from soteria.files import private_storage
from soteria.models import Force
from soteria.printing import PrintJob

from ..engine.models import OffenceGroup


class ProfilePdf(PrintJob):
    """A problem profile printed to PDF (soteria/printing.py), kept under the force's record
    batches: a new import makes a new one."""

    FORCE_FIELD = "force"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="profile_pdfs")
    end = models.CharField(max_length=10, help_text="The quarter the 12 months end with")
    offence_group = models.CharField(max_length=10, choices=OffenceGroup.choices)
    version = models.CharField(max_length=40, help_text="The force's record batches")
    pdf = models.FileField(storage=private_storage, upload_to="problem-profiles/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "end", "offence_group", "version"],
                name="profile_pdf_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"Problem profile {self.force} {self.end} {self.offence_group}"
