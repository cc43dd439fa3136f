"""People as agencies record them: names and aliases, protected characteristics,
address history, relationships, households and safe-contact details.

A ``Person`` is one agency's record of a human being. Agencies share no common
identifier (seed 002 §3.2), so the same human may have several records until identity
resolution links them.  ``__str__`` never returns a name: object representations end
up in admin logs and error messages.
"""

from django.conf import settings
from django.db import models
from django.utils import dateformat

from carepath.core.encryption import BlindIndexField, EncryptedCharField, EncryptedEmailField, EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, District
from carepath.people.safe_contact import SafeContactAnswers


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Another gender identity"
    NOT_KNOWN = "not_known", "Not known"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """Office for National Statistics 2021 Census ethnic groups (England)."""

    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
    MIXED_OTHER = "mixed_other", "Mixed: any other mixed background"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black or Black British: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black or Black British: Caribbean"
    BLACK_OTHER = "black_other", "Black or Black British: any other Black background"
    ARAB = "arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other"
    NOT_STATED = "not_stated", "Not stated"


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    NOT_STATED = "not_stated", "Not stated"


class Person(models.Model):
    """One agency's record of a person: a victim, a perpetrator or a child."""

    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people_recorded")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_as_written = models.CharField(
        max_length=20,
        blank=True,
        help_text="The date of birth as the source wrote it, when it is not a real date (1950-58-06); "
        "kept so that records can still be matched, never used as a date.",
    )
    sex = models.CharField(max_length=12, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField(max_length=12, choices=GenderIdentity.choices, default=GenderIdentity.NOT_KNOWN)
    trans = models.CharField(
        "trans or has a trans history", max_length=12, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN
    )
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED)
    disability = models.CharField(max_length=12, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN)
    sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, default=SexualOrientation.NOT_STATED
    )
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    phone = models.CharField(max_length=30, blank=True, help_text="Phone on the agency's record; may not be safe.")
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    pnc_id = models.CharField("Police National Computer id", max_length=20, blank=True, db_index=True)
    identity_key = models.BigIntegerField(
        "linked identity",
        null=True,
        blank=True,
        db_index=True,
        help_text="Records linked as one person share this key (the lowest of their ids); blank while "
        "the record is linked to no other.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = RecordHistory()

    class Meta:
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="person_name"),
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
            models.Index(
                fields=["date_of_birth_as_written"],
                name="person_dob_as_written",
                condition=~models.Q(date_of_birth_as_written=""),
            ),
            models.Index(fields=["phone"], name="person_phone"),
        ]

    def __str__(self) -> str:
        return f"Person {self.pk}"

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or "(name not recorded)"

    @property
    def date_of_birth_shown(self) -> str:
        """The date of birth in words for a page: the date, or a date of birth kept as the
        source wrote it (no real date) said to be so, or "" when there is neither."""
        if self.date_of_birth:
            return dateformat.format(self.date_of_birth, "j F Y")
        if self.date_of_birth_as_written:
            return f"{self.date_of_birth_as_written} (as written: not a real date)"
        return ""

    @property
    def identity(self) -> int:
        """The key of the person this record belongs to: its own id while unlinked."""
        return self.identity_key or self.pk


class NameKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    PREVIOUS = "previous", "Previous name"
    NICKNAME = "nickname", "Known as"
    BIRTH = "birth", "Name at birth"


class PersonName(models.Model):
    """Another name a person is or was known by (aliases, previous surnames)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=12, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    history = RecordHistory()

    def __str__(self) -> str:
        return f"Name {self.pk} of person {self.person_id}"


class Address(models.Model):
    """One address in a person's history. Confidential addresses (refuges, safe
    houses) are shown only to the agency that recorded them.

    Every address is encrypted whole, not only the confidential ones: a victim's new
    address after leaving is as dangerous in the wrong hands as a refuge's, and whether it
    was marked confidential is a person's judgement. Identity resolution finds records by
    postcode through ``postcode_index`` (a keyed hash), which confidential addresses never
    get: they take no part in matching records."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = EncryptedCharField(max_length=200)
    line_2 = EncryptedCharField(max_length=200, blank=True)
    town = EncryptedCharField(max_length=100, blank=True)
    postcode = EncryptedCharField(max_length=10, blank=True)
    postcode_index = BlindIndexField(source="postcode", skip_when="is_confidential")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="Blank while this is the current address.")
    is_confidential = models.BooleanField(default=False)
    history = RecordHistory(excluded_fields=["postcode_index"])

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Address {self.pk} of person {self.person_id}"


class RelationshipKind(models.TextChoices):
    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    PARENT = "parent", "Parent of"
    OTHER_FAMILY = "other_family", "Other family member"


class Relationship(models.Model):
    """A personal connection. ``kind=parent`` reads "from_person is a parent of to_person";
    the other kinds are symmetric."""

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = RecordHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="unique_relationship"),
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")), name="relationship_not_self"
            ),
        ]


class Household(models.Model):
    """People living together, as an agency recorded them; children belong to households."""

    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    members = models.ManyToManyField(Person, through="HouseholdMember", related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)
    history = RecordHistory()

    def __str__(self) -> str:
        return f"Household {self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    is_child = models.BooleanField(default=False)
    history = RecordHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "person"], name="unique_household_member")]


class ContactChannel(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    VOICEMAIL = "voicemail", "Voicemail"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    HOME_VISIT = "home_visit", "Home visit"
    WORKPLACE = "workplace", "At work"


class SafeContact(models.Model):
    """How and when a victim can safely be contacted (seed 002 Appendix 1; domain.md
    "Safe contact"). Only a channel answered "yes" is safe; see ``safe_contact.py``."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="safe_contact")
    safe_phone = EncryptedCharField(max_length=30, blank=True)
    safe_times = EncryptedCharField(max_length=200, blank=True)
    safe_windows = models.JSONField(
        default=list,
        blank=True,
        help_text="The times she said are safe, for checking contact: [{days: [0-6], start: HH:MM, end: HH:MM}].",
    )
    voicemail_safe = models.CharField(max_length=12, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN)
    text_safe = models.CharField(max_length=12, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN)
    letter_safe = models.CharField(max_length=12, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN)
    email_safe = models.CharField(max_length=12, choices=YesNoUnknown.choices, default=YesNoUnknown.NOT_KNOWN)
    safe_email = EncryptedEmailField(blank=True)
    do_not_contact_via = models.JSONField(default=list, blank=True, help_text="Channels never to use.")
    notes = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = RecordHistory()

    def __str__(self) -> str:
        return f"Safe contact of person {self.person_id}"

    def answers(self) -> SafeContactAnswers:
        return SafeContactAnswers(
            safe_phone=self.safe_phone,
            voicemail_safe=self.voicemail_safe,
            text_safe=self.text_safe,
            letter_safe=self.letter_safe,
            email_safe=self.email_safe,
            safe_email=self.safe_email,
            do_not_contact_via=frozenset(self.do_not_contact_via),
        )


class LinkStatus(models.TextChoices):
    REVIEW = "review", "Awaiting review"
    LINKED = "linked", "Linked automatically"
    NOT_LINKED = "not_linked", "Below the linking probability"
    CONFIRMED = "confirmed", "Confirmed by a reviewer: the same person"
    REJECTED = "rejected", "Rejected by a reviewer: different people"


REVIEWED = (LinkStatus.CONFIRMED, LinkStatus.REJECTED)


class RecordLink(models.Model):
    """A pair of person records that identity resolution scored as possibly one person.

    Pairs scored between the review and the linking probability wait for a reviewer; a
    reviewer's decision (confirmed or rejected) stands in every later run.
    ``person_a`` is the record with the lower id.
    """

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    status = models.CharField(max_length=12, choices=LinkStatus.choices, db_index=True)
    scored_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(blank=True)
    history = RecordHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="unique_record_link"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")), name="record_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"Record link {self.pk}"


class IdentityChangeKind(models.TextChoices):
    MERGE = "merge", "Records linked as one person"
    SPLIT = "split", "A record split from a person"
    RELINK = "relink", "Batch relink"
    UNDO = "undo", "Undo of an earlier change"


class IdentityChange(models.Model):
    """One change to which records are linked as one person, with who, when, why and the
    keys before and after, so that any merge or split can be undone."""

    kind = models.CharField(max_length=8, choices=IdentityChangeKind.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    reason = EncryptedTextField(blank=True)
    link = models.ForeignKey(RecordLink, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    before = models.JSONField(default=dict, help_text="Record id -> identity key before the change.")
    after = models.JSONField(default=dict, help_text="Record id -> identity key after the change.")
    undone_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="undoes")
    history = RecordHistory()

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"Identity change {self.pk}"


class LinkageRun(models.Model):
    """A trained linkage model (splink settings with its estimated parameters) and the
    batch run that produced it; the newest scores records arriving at the front door."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    backend = models.CharField(max_length=10)
    records = models.PositiveIntegerField()
    pairs_scored = models.PositiveIntegerField()
    identities = models.PositiveIntegerField()
    dates_kept_as_written = models.PositiveIntegerField(
        default=0, help_text="Records whose date of birth was no real date, compared as written."
    )
    model = models.JSONField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = RecordHistory()

    class Meta:
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"
