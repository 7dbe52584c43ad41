"""Organisations made before surveys existed get the ready CSAT survey new ones get
(feedback.survey_services.survey_default_create): the 1–5 question and a comment, worded in
each respondent's language by the built-in texts."""

from django.db import migrations


def forwards(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Survey = apps.get_model("feedback", "Survey")
    SurveyVersion = apps.get_model("feedback", "SurveyVersion")
    SurveyQuestion = apps.get_model("feedback", "SurveyQuestion")
    for organisation in Organisation.objects.all():
        if Survey.objects.filter(organisation=organisation).exists():
            continue
        survey = Survey.objects.create(
            organisation=organisation, name="Customer satisfaction", is_default=True
        )
        version = SurveyVersion.objects.create(survey=survey, number=1)
        SurveyQuestion.objects.create(version=version, position=0, kind="csat", required=True)
        SurveyQuestion.objects.create(version=version, position=1, kind="text")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
