"""Forecasting takes over the tables the former workforce app created (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('workforce', '0002_scheduling'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoryUpload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('original_name', models.CharField(max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('rows_accepted', models.PositiveIntegerField(default=0)),
                        ('rows_rejected', models.PositiveIntegerField(default=0)),
                        ('rejections', models.JSONField(blank=True, default=list)),
                        ('channels', models.JSONField(blank=True, default=list)),
                        ('first_at', models.DateTimeField(blank=True, null=True)),
                        ('last_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history_uploads', to='accounts.organisation')),
                    ],
                    options={
                        'verbose_name': 'demand history upload',
                        'verbose_name_plural': 'demand history uploads',
                        'db_table': 'workforce_historyupload',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ForecastRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('source', models.CharField(choices=[('interactions', 'Interactions'), ('upload', 'Uploaded history')], default='interactions', max_length=16)),
                        ('interval_minutes', models.PositiveSmallIntegerField(choices=[(15, '15 minutes'), (30, '30 minutes'), (60, '60 minutes')], default=30)),
                        ('horizon_days', models.PositiveSmallIntegerField(default=28, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(56)])),
                        ('history_weeks', models.PositiveSmallIntegerField(default=26)),
                        ('state', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=16)),
                        ('steps_total', models.PositiveIntegerField(default=0)),
                        ('steps_done', models.PositiveIntegerField(default=0)),
                        ('step_label', models.CharField(blank=True, max_length=200)),
                        ('error', models.TextField(blank=True)),
                        ('channels', models.JSONField(blank=True, default=list)),
                        ('first_day', models.DateField(blank=True, help_text='first forecast day (local)', null=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='forecast_runs', to='accounts.organisation')),
                        ('upload', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='runs', to='forecasting.historyupload')),
                    ],
                    options={
                        'verbose_name': 'forecast',
                        'verbose_name_plural': 'forecasts',
                        'db_table': 'workforce_forecastrun',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ForecastInterval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('phone', 'Phone'), ('email', 'E-mail'), ('chat', 'Chat'), ('social', 'Social media'), ('walk_in', 'Walk-in desk'), ('web', 'Web form'), ('field', 'Field visit')], max_length=16)),
                        ('start', models.DateTimeField()),
                        ('forecast', models.FloatField()),
                        ('lower', models.FloatField()),
                        ('upper', models.FloatField()),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intervals', to='forecasting.forecastrun')),
                    ],
                    options={
                        'db_table': 'workforce_forecastinterval',
                        'indexes': [models.Index(fields=['run', 'channel', 'start'], name='forecast_interval_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoryPoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('phone', 'Phone'), ('email', 'E-mail'), ('chat', 'Chat'), ('social', 'Social media'), ('walk_in', 'Walk-in desk'), ('web', 'Web form'), ('field', 'Field visit')], max_length=16)),
                        ('start', models.DateTimeField()),
                        ('volume', models.FloatField()),
                        ('upload', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='points', to='forecasting.historyupload')),
                    ],
                    options={
                        'db_table': 'workforce_historypoint',
                        'indexes': [models.Index(fields=['upload', 'channel', 'start'], name='history_point_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='RequirementInterval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('phone', 'Phone'), ('email', 'E-mail'), ('chat', 'Chat'), ('social', 'Social media'), ('walk_in', 'Walk-in desk'), ('web', 'Web form'), ('field', 'Field visit')], max_length=16)),
                        ('start', models.DateTimeField()),
                        ('volume', models.FloatField()),
                        ('agents', models.PositiveIntegerField()),
                        ('agents_with_shrinkage', models.PositiveIntegerField()),
                        ('service_level', models.FloatField()),
                        ('asa_seconds', models.FloatField()),
                        ('occupancy', models.FloatField()),
                        ('p_wait', models.FloatField()),
                        ('model', models.CharField(choices=[('erlang_c', 'Erlang C (callers wait)'), ('erlang_a', 'Erlang A (callers abandon)'), ('chat', 'Chat (several at once)'), ('deferred', 'Deferred work (workload)')], max_length=16)),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirements', to='forecasting.forecastrun')),
                    ],
                    options={
                        'db_table': 'workforce_requirementinterval',
                        'indexes': [models.Index(fields=['run', 'start', 'channel'], name='requirement_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='StaffingInputs',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('phone', 'Phone'), ('email', 'E-mail'), ('chat', 'Chat'), ('social', 'Social media'), ('walk_in', 'Walk-in desk'), ('web', 'Web form'), ('field', 'Field visit')], max_length=16, verbose_name='channel')),
                        ('target_sl', models.FloatField(default=80.0, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(99.9)], verbose_name='service-level target (%)')),
                        ('target_seconds', models.PositiveIntegerField(default=20, verbose_name='answered within (seconds)')),
                        ('aht_seconds', models.FloatField(blank=True, help_text='Empty: the mean handle time of the history.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='average handle time (seconds)')),
                        ('shrinkage', models.FloatField(default=30.0, help_text='Breaks, training, meetings, absence: time paid but not available.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(90)], verbose_name='shrinkage (%)')),
                        ('max_occupancy', models.FloatField(default=85.0, validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(100)], verbose_name='maximum occupancy (%)')),
                        ('patience_seconds', models.PositiveIntegerField(blank=True, help_text='Mean time before a waiting customer gives up. Set it to use Erlang A.', null=True, verbose_name="customers' patience (seconds)")),
                        ('concurrency', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='contacts at once per agent')),
                        ('response_hours', models.FloatField(default=4.0, help_text='For e-mail and other deferred work: every item answered within this time.', validators=[django.core.validators.MinValueValidator(0.25), django.core.validators.MaxValueValidator(168)], verbose_name='response-time target (hours)')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='staffing_inputs', to='accounts.organisation')),
                    ],
                    options={
                        'verbose_name': 'staffing inputs',
                        'verbose_name_plural': 'staffing inputs',
                        'db_table': 'workforce_staffinginputs',
                        'constraints': [models.UniqueConstraint(fields=('organisation', 'channel'), name='staffing_inputs_unique_channel')],
                    },
                ),
            ],
        ),
    ]
