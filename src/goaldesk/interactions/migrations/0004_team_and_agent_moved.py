"""Team and Agent now belong to the team app; the tables stay (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('interactions', '0003_organisation_index'),
        ('team', '0001_initial'),
        ('workforce', '0003_moved_to_forecasting_and_scheduling'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='agent',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='agent',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='agent',
                    name='user',
                ),
                migrations.AlterField(
                    model_name='interaction',
                    name='agent',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interactions', to='team.agent'),
                ),
                migrations.RemoveField(
                    model_name='team',
                    name='organisation',
                ),
                migrations.AlterField(
                    model_name='interaction',
                    name='team',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interactions', to='team.team'),
                ),
                migrations.DeleteModel(
                    name='Agent',
                ),
                migrations.DeleteModel(
                    name='Team',
                ),
            ],
        ),
    ]
