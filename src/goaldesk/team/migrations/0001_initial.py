"""Teams and agents move here from interactions; their tables keep their names (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('interactions', '0003_organisation_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Team',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teams', to='accounts.organisation')),
                    ],
                    options={
                        'verbose_name': 'team',
                        'verbose_name_plural': 'teams',
                        'db_table': 'interactions_team',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Agent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text='E-mail address or code', max_length=150, verbose_name='key')),
                        ('name', models.CharField(blank=True, max_length=150, verbose_name='name')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agents', to='accounts.organisation')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agent_records', to=settings.AUTH_USER_MODEL)),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agents', to='team.team')),
                    ],
                    options={
                        'verbose_name': 'agent',
                        'verbose_name_plural': 'agents',
                        'db_table': 'interactions_agent',
                        'ordering': ['name', 'key'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='team',
                    constraint=models.UniqueConstraint(fields=('organisation', 'name'), name='team_unique_name'),
                ),
                migrations.AddConstraint(
                    model_name='agent',
                    constraint=models.UniqueConstraint(fields=('organisation', 'key'), name='agent_unique_key'),
                ),
            ],
        ),
    ]
