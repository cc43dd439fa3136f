"""The directory of services and helplines (the review's "directory of local services" at
the front door: seed 002 §2.1.3 and Appendix 13; domain.md "Safe contact").

No entry has an address or any other location field, refuges above all: a refuge is listed
by its front-gate contact (a phone number) only. Leaving the field out for every kind of
entry, rather than refusing it for refuges, means no form, export or later change can put
an address into the directory by mistake; where a service can be visited, its description
says how to arrange it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.core.history import RecordHistory
from carepath.core.models import District


class Kind(models.TextChoices):
    HELPLINE = "helpline", _("Helpline")
    REFUGE = "refuge", _("Refuge")
    OUTREACH = "outreach", _("Outreach support")
    WOMENS_CENTRE = "womens_centre", _("Women's centre")
    IDVA = "idva", _("IDVA service")
    COUNSELLING = "counselling", _("Counselling")
    CHILDREN = "children", _("Service for children and young people")
    PERPETRATOR = "perpetrator", _("Programme for people who harm")
    ADVICE = "advice", _("Legal or housing advice")
    OTHER = "other", _("Other support")


class WhoFor(models.TextChoices):
    """Who a service is for (the issue's list; seed 002 Table 3's under-served groups). Each
    is a column ``for_<value>`` of an entry, so a search by several is a plain filter."""

    STANDARD_RISK = "standard_risk", _("Standard risk")
    MEDIUM_RISK = "medium_risk", _("Medium risk")
    HIGH_RISK = "high_risk", _("High risk")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    TRANS_NON_BINARY = "trans_non_binary", _("Trans and non-binary people")
    AGED_16_17 = "aged_16_17", _("Young people aged 16 or 17")
    LGBT = "lgbt", _("LGBT+ people")
    BLACK_MINORITISED = "black_minoritised", _("Black and minoritised people")
    DISABLED_DEAF = "disabled_deaf", _("Disabled and Deaf people")
    COMPLEX_NEEDS = "complex_needs", _("People with complex needs (mental health, alcohol or drugs)")
    PERPETRATORS = "perpetrators", _("People worried about their own behaviour")
    CHILDREN = "children", _("Children and young people")


#: The risk levels among ``WhoFor``: staff choose them; the public pages never ask.
RISK_LEVELS = (WhoFor.STANDARD_RISK, WhoFor.MEDIUM_RISK, WhoFor.HIGH_RISK)


def who_for_field(code: str) -> str:
    return f"for_{code}"


class Area(models.TextChoices):
    DISTRICTS = "districts", _("The districts listed")
    COUNTY = "county", _("All of the county")
    NATIONAL = "national", _("All of England and Wales")


class AccessRoute(models.TextChoices):
    SELF = "self", _("You can contact them yourself")
    PROFESSIONAL = "professional", _("A professional refers you")
    BOTH = "both", _("Contact them yourself, or a professional can refer you")


class Entry(models.Model):
    """A service or helpline in the directory, kept by its owner (a member of staff) who
    checks it is still right; one not checked for the partnership's time is hidden from the
    public (``selectors.entries_public``)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(help_text="What the service does, in plain words.")
    description_cy = models.TextField(blank=True, help_text="The same in Welsh, shown on the Welsh pages.")
    for_standard_risk = models.BooleanField(default=False)
    for_medium_risk = models.BooleanField(default=False)
    for_high_risk = models.BooleanField(default=False)
    for_women = models.BooleanField(default=False)
    for_men = models.BooleanField(default=False)
    for_trans_non_binary = models.BooleanField(default=False)
    for_aged_16_17 = models.BooleanField(default=False)
    for_lgbt = models.BooleanField(default=False)
    for_black_minoritised = models.BooleanField(default=False)
    for_disabled_deaf = models.BooleanField(default=False)
    for_complex_needs = models.BooleanField(default=False)
    for_perpetrators = models.BooleanField(default=False)
    for_children = models.BooleanField(default=False)
    area = models.CharField(max_length=10, choices=Area.choices, default=Area.DISTRICTS)
    districts = models.ManyToManyField(District, blank=True, related_name="directory_entries")
    open_24_hours = models.BooleanField(default=False)
    open_bank_holidays = models.BooleanField(default=False)
    access_route = models.CharField(max_length=15, choices=AccessRoute.choices, default=AccessRoute.BOTH)
    phone = models.CharField(max_length=30, blank=True, help_text="For a refuge: its front-gate contact.")
    text_number = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    languages = models.CharField(max_length=300, blank=True, help_text="Languages the staff speak, in words.")
    interpreters = models.BooleanField(default=False, help_text="Interpreters can be arranged.")
    accessibility = models.TextField(blank=True, help_text="Step-free access, BSL, text relay and so on.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="directory_entries")
    last_checked_on = models.DateField()
    history = RecordHistory(m2m_fields=[districts])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["last_checked_on"], name="directory_entry_checked")]

    def __str__(self) -> str:
        return self.name

    @property
    def who_for(self) -> list[str]:
        return [code for code in WhoFor.values if getattr(self, who_for_field(code))]

    # The enum's label, not get_FOO_display: that hashes every lazily translated label of
    # the field's choices on each call, most of a results page's time.
    @property
    def kind_words(self) -> str:
        return Kind(self.kind).label

    @property
    def access_words(self) -> str:
        return AccessRoute(self.access_route).label

    @property
    def area_words(self) -> str:
        return Area(self.area).label

    def who_for_words(self) -> list[str]:
        return [WhoFor(code).label for code in self.who_for]


class OpeningHours(models.Model):
    """An entry's opening on one day of the week; ``closes`` at or before ``opens`` means it
    closes the next morning (an evening line open until 02:00). One a day, as the entry's
    form edits them: a second would be lost the next time the entry is changed."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 Sunday.")
    opens = models.TimeField()
    closes = models.TimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["weekday", "opens"]
        indexes = [models.Index(fields=["weekday", "opens", "closes"], name="directory_hours_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="directory_hours_weekday"),
            models.UniqueConstraint(fields=["entry", "weekday"], name="directory_hours_one_a_day"),
        ]
