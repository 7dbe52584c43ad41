"""The workforce models now belong to forecasting and scheduling; the tables stay (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workforce', '0002_scheduling'),
        ('forecasting', '0001_initial'),
        ('scheduling', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='agentprofile',
                    name='agent',
                ),
                migrations.RemoveField(
                    model_name='forecastinterval',
                    name='run',
                ),
                migrations.RemoveField(
                    model_name='forecastrun',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='forecastrun',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='forecastrun',
                    name='upload',
                ),
                migrations.RemoveField(
                    model_name='requirementinterval',
                    name='run',
                ),
                migrations.RemoveField(
                    model_name='historypoint',
                    name='upload',
                ),
                migrations.RemoveField(
                    model_name='historyupload',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historyupload',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='schedule',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='schedule',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='scheduledshift',
                    name='schedule',
                ),
                migrations.RemoveField(
                    model_name='scheduledshift',
                    name='agent',
                ),
                migrations.RemoveField(
                    model_name='shiftswap',
                    name='shift',
                ),
                migrations.RemoveField(
                    model_name='schedulingrules',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='shiftswap',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='shiftswap',
                    name='offered_by',
                ),
                migrations.RemoveField(
                    model_name='shiftswap',
                    name='taken_by',
                ),
                migrations.RemoveField(
                    model_name='staffinginputs',
                    name='organisation',
                ),
                migrations.DeleteModel(
                    name='AgentAbsence',
                ),
                migrations.DeleteModel(
                    name='AgentProfile',
                ),
                migrations.DeleteModel(
                    name='ForecastInterval',
                ),
                migrations.DeleteModel(
                    name='ForecastRun',
                ),
                migrations.DeleteModel(
                    name='RequirementInterval',
                ),
                migrations.DeleteModel(
                    name='HistoryPoint',
                ),
                migrations.DeleteModel(
                    name='HistoryUpload',
                ),
                migrations.DeleteModel(
                    name='Schedule',
                ),
                migrations.DeleteModel(
                    name='ScheduledShift',
                ),
                migrations.DeleteModel(
                    name='SchedulingRules',
                ),
                migrations.DeleteModel(
                    name='ShiftSwap',
                ),
                migrations.DeleteModel(
                    name='StaffingInputs',
                ),
            ],
        ),
    ]
