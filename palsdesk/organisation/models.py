"""The trust, its divisions, sites and the services (departments) each division runs."""

from django.core.validators import RegexValidator
from django.db import models

from palsdesk.core.models import ReferenceData, Tracked

ods_code = RegexValidator(r"^[A-Z0-9]{3,5}$", "An ODS code is 3 to 5 capital letters or digits, such as RTH.")
short_code = RegexValidator(r"^[A-Z0-9-]{1,12}$", "Use up to 12 capital letters, digits or hyphens.")


class Trust(Tracked):
    name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code", max_length=5, unique=True, validators=[ods_code])
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(ReferenceData, Tracked):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="divisions")
    code = models.CharField(max_length=12, unique=True, validators=[short_code])
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(ReferenceData, Tracked):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="sites")
    code = models.CharField("ODS site code", max_length=12, unique=True, validators=[short_code])
    name = models.CharField(max_length=120)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(ReferenceData, Tracked):
    """A service or department (specialty) run by one division, such as Cardiology or Ward 7."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="services")
    code = models.CharField(max_length=12, unique=True, validators=[short_code])
    name = models.CharField(max_length=120)
    specialty = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
