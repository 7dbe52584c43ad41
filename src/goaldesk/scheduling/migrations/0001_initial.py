"""Scheduling takes over the tables the former workforce app created (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('team', '0001_initial'),
        ('workforce', '0002_scheduling'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AgentAbsence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('leave', 'Leave'), ('training', 'Training'), ('holiday', 'Holiday'), ('other', 'Other')], default='leave', max_length=16, verbose_name='kind')),
                        ('start', models.DateTimeField(verbose_name='from')),
                        ('end', models.DateTimeField(verbose_name='until')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ],
                    options={
                        'verbose_name': 'absence',
                        'verbose_name_plural': 'absences',
                        'db_table': 'workforce_agentabsence',
                        'ordering': ['start'],
                    },
                ),
                migrations.CreateModel(
                    name='AgentProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channels', models.JSONField(blank=True, default=list, verbose_name='channels')),
                        ('languages', models.JSONField(blank=True, default=list, verbose_name='languages')),
                        ('min_hours_per_week', models.FloatField(default=0.0, verbose_name='minimum hours a week')),
                        ('max_hours_per_week', models.FloatField(default=40.0, verbose_name='maximum hours a week')),
                        ('max_days_per_week', models.PositiveSmallIntegerField(default=5, verbose_name='maximum days a week')),
                        ('availability', models.JSONField(blank=True, default=dict, verbose_name='weekly availability')),
                        ('preferred_day_parts', models.JSONField(blank=True, default=list, verbose_name='preferred day parts')),
                        ('preferred_start_times', models.JSONField(blank=True, default=list, verbose_name='preferred start times')),
                        ('preferred_days_off', models.JSONField(blank=True, default=list, verbose_name='preferred days off')),
                        ('feed_version', models.PositiveIntegerField(default=1)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'work profile',
                        'verbose_name_plural': 'work profiles',
                        'db_table': 'workforce_agentprofile',
                    },
                ),
                migrations.CreateModel(
                    name='Schedule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('week_start', models.DateField(verbose_name='first day')),
                        ('source', models.CharField(choices=[('forecast', 'Latest staffing requirement'), ('upload', 'Uploaded requirement file')], default='forecast', max_length=16)),
                        ('interval_minutes', models.PositiveSmallIntegerField(default=30)),
                        ('requirement', models.JSONField(blank=True, default=list)),
                        ('time_limit_seconds', models.PositiveIntegerField(default=30)),
                        ('state', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Solving'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=16)),
                        ('solutions', models.PositiveIntegerField(default=0)),
                        ('best_objective', models.FloatField(blank=True, null=True)),
                        ('best_bound', models.FloatField(blank=True, null=True)),
                        ('elapsed_seconds', models.FloatField(default=0.0)),
                        ('status', models.CharField(blank=True, max_length=16)),
                        ('gap', models.FloatField(blank=True, null=True)),
                        ('infeasibility', models.JSONField(blank=True, default=list)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('edited_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': 'schedule',
                        'verbose_name_plural': 'schedules',
                        'db_table': 'workforce_schedule',
                        'ordering': ['-week_start', '-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ScheduledShift',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start', models.DateTimeField()),
                        ('end', models.DateTimeField()),
                        ('break_start', models.DateTimeField(blank=True, null=True)),
                        ('break_end', models.DateTimeField(blank=True, null=True)),
                        ('edited', models.BooleanField(default=False)),
                    ],
                    options={
                        'db_table': 'workforce_scheduledshift',
                        'ordering': ['start', 'agent_id'],
                    },
                ),
                migrations.CreateModel(
                    name='SchedulingRules',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('shift_lengths_minutes', models.JSONField(default=list, verbose_name='allowed shift lengths')),
                        ('start_times', models.JSONField(blank=True, default=list, verbose_name='allowed start times')),
                        ('within_opening_hours', models.BooleanField(default=True, verbose_name='shifts lie inside the opening hours')),
                        ('break_minutes', models.PositiveSmallIntegerField(default=30, verbose_name='break length (minutes)')),
                        ('break_after_minutes', models.PositiveSmallIntegerField(default=360, verbose_name='shifts longer than this get a break (minutes)')),
                        ('break_window_start_percent', models.PositiveSmallIntegerField(default=33, verbose_name='break window starts at (percent of the shift)')),
                        ('break_window_end_percent', models.PositiveSmallIntegerField(default=67, verbose_name='break window ends at (percent of the shift)')),
                        ('min_rest_hours', models.FloatField(default=11.0, verbose_name='minimum rest between shifts (hours)')),
                        ('max_consecutive_days', models.PositiveSmallIntegerField(default=6, verbose_name='maximum consecutive working days')),
                        ('evening_after', models.TimeField(default='19:00', verbose_name='a shift still running after this time is unpopular')),
                        ('weekend_unpopular', models.BooleanField(default=True, verbose_name='weekend shifts are unpopular')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'scheduling rules',
                        'verbose_name_plural': 'scheduling rules',
                        'db_table': 'workforce_schedulingrules',
                    },
                ),
                migrations.CreateModel(
                    name='ShiftSwap',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('offered', 'Offered'), ('taken', 'Waiting for approval'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], default='offered', max_length=16)),
                        ('reason', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': 'shift swap',
                        'verbose_name_plural': 'shift swaps',
                        'db_table': 'workforce_shiftswap',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AddField(
                    model_name='agentabsence',
                    name='agent',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='absences', to='team.agent'),
                ),
                migrations.AddField(
                    model_name='agentprofile',
                    name='agent',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='work_profile', to='team.agent'),
                ),
                migrations.AddField(
                    model_name='schedule',
                    name='created_by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AddField(
                    model_name='schedule',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to='accounts.organisation'),
                ),
                migrations.AddField(
                    model_name='scheduledshift',
                    name='agent',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scheduled_shifts', to='team.agent'),
                ),
                migrations.AddField(
                    model_name='scheduledshift',
                    name='schedule',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shifts', to='scheduling.schedule'),
                ),
                migrations.AddField(
                    model_name='schedulingrules',
                    name='organisation',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='scheduling_rules', to='accounts.organisation'),
                ),
                migrations.AddField(
                    model_name='shiftswap',
                    name='decided_by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AddField(
                    model_name='shiftswap',
                    name='offered_by',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='swaps_offered', to='team.agent'),
                ),
                migrations.AddField(
                    model_name='shiftswap',
                    name='shift',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='swaps', to='scheduling.scheduledshift'),
                ),
                migrations.AddField(
                    model_name='shiftswap',
                    name='taken_by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='swaps_taken', to='team.agent'),
                ),
                migrations.AddIndex(
                    model_name='scheduledshift',
                    index=models.Index(fields=['schedule', 'agent', 'start'], name='scheduled_shift_idx'),
                ),
            ],
        ),
    ]
