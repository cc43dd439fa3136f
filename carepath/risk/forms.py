"""Forms of the risk app: uploading and adopting a checklist version."""

from django import forms

from carepath.configuration.definitions import PartnershipSettings

_MAX_FILE_BYTES = 1_000_000

_HIGH = PartnershipSettings.__dataclass_fields__["dash_high_threshold"].metadata
_MEDIUM = PartnershipSettings.__dataclass_fields__["dash_medium_threshold"].metadata


class ChecklistUploadForm(forms.Form):
    name = forms.CharField(label="Name of the checklist", max_length=100, help_text="For example, SafeLives DASH RIC")
    version = forms.CharField(label="Version", max_length=40, help_text="For example, the year it was published")
    file = forms.FileField(
        label="The questions",
        help_text="A CSV file (a spreadsheet saved as CSV UTF-8) with the columns number, text, help_text and "
        'weight (what a "yes" adds to the score; empty for 1), or a JSON list of the same.',
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > _MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB: a checklist is a few dozen questions.")
        return upload


class ChecklistAdoptForm(forms.Form):
    """The previewed checklist, carried back to be checked again and adopted."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=100)
    version = forms.CharField(widget=forms.HiddenInput, max_length=40)
    questions = forms.JSONField(widget=forms.HiddenInput)
    high_threshold = forms.IntegerField(
        label=_HIGH["label"], required=False, min_value=1, help_text="Leave empty to keep the partnership's threshold."
    )
    medium_threshold = forms.IntegerField(
        label=_MEDIUM["label"],
        required=False,
        min_value=1,
        help_text="Leave empty to keep the partnership's threshold.",
    )
    reason = forms.CharField(label="Why is the partnership adopting it?", widget=forms.Textarea)
