"""The upload of a police force's incident extract on the police extract page."""

from pathlib import Path

from django import forms
from django.conf import settings

from carepath.core.models import Agency


class PoliceExtractUploadForm(forms.Form):
    force = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Police force",
        empty_label="Choose the force",
        error_messages={
            "required": "Select the police force whose extract this is",
            "invalid_choice": "Select one of the police forces listed",
        },
    )
    extract = forms.FileField(
        label="Upload the force's incident extract",
        error_messages={
            "required": "Select the police extract to upload (a .csv file)",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: choose it again",
        },
    )

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mb = settings.POLICE_EXTRACT_UPLOAD_MAX_MB
        self.fields["extract"].help_text = (
            f"A CSV file (CSV UTF-8), one row per incident, up to {self.max_mb} MB. "
            "A file of fixed rejected rows is uploaded the same way."
        )
        if len(forces) == 1:
            self.only_force = forces[0]
            del self.fields["force"]
        else:
            self.only_force = None
            self.fields["force"].queryset = Agency.objects.filter(pk__in=[f.pk for f in forces])

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        suffix = Path(upload.name).suffix.lower()
        if suffix == ".xlsx" or suffix == ".xls":
            raise forms.ValidationError(
                "The selected file is an Excel workbook: save it as a CSV file "
                "(in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)') and upload that"
            )
        if suffix != ".csv":
            raise forms.ValidationError("The selected file must be a CSV file (.csv)")
        if upload.size > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(
                f"The selected file must be smaller than {self.max_mb} MB; a larger load is imported "
                "at the terminal by an administrator"
            )
        return upload

    def chosen_force(self) -> Agency:
        return self.only_force or self.cleaned_data["force"]
