
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_api_token'),
        ('applications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Complaint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=24, unique=True)),
                ('channel', models.CharField(choices=[('portal', '网上国网/网站'), ('api', '接口'), ('phone_95598', '95598供电服务热线'), ('phone_12398', '12398能源监管热线')], max_length=16)),
                ('contact_name', models.CharField(max_length=64)),
                ('contact_phone_enc', models.TextField(blank=True, default='', help_text='SM4-GCM ciphertext')),
                ('text', models.TextField()),
                ('text_digest', models.CharField(help_text='SHA-256 of the text, to fold double submissions', max_length=64)),
                ('filed_at', models.DateTimeField()),
                ('idempotency_key', models.CharField(blank=True, default='', max_length=128)),
                ('limit', models.PositiveSmallIntegerField()),
                ('unit', models.CharField(max_length=8)),
                ('opened_on', models.DateField(help_text='the day the current round started (filed or reopened)')),
                ('due_date', models.DateField()),
                ('provisional', models.BooleanField(default=False)),
                ('state', models.CharField(choices=[('open', '处理中'), ('replied', '已答复，待确认'), ('closed', '已办结')], default='open', max_length=8)),
                ('overdue', models.BooleanField(default=False, help_text='marked by the sweep once past due unanswered')),
                ('reopened', models.PositiveSmallIntegerField(default=0)),
                ('replied_at', models.DateTimeField(blank=True, null=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('satisfied', models.BooleanField(blank=True, null=True)),
                ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='applications.application')),
                ('complainant', models.ForeignKey(blank=True, help_text="the applicant's account, if any", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints_filed', to=settings.AUTH_USER_MODEL)),
                ('county', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='accounts.division')),
                ('filed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('handling_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='accounts.organisation')),
                ('supervisor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints_assigned', to=settings.AUTH_USER_MODEL)),
                ('utility', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
            ],
            options={
                'ordering': ['-filed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Entry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('reply', '答复'), ('satisfied', '满意，确认办结'), ('not_satisfied', '不满意，重新处理'), ('close', '办结说明')], max_length=16)),
                ('text', models.TextField(blank=True, default='')),
                ('at', models.DateTimeField()),
                ('on_behalf', models.BooleanField(default=False, help_text="staff recorded the complainant's answer (电话回访)")),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='complaints.complaint')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['state', 'due_date'], name='complaints__state_86ddeb_idx'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['county', 'state'], name='complaints__county__af95d9_idx'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('filed_by', 'idempotency_key'), name='complaint_idempotency_once'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(('text__length__gt', 0), ('text__length__lte', 2000)), name='complaint_text_bounded'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'closed'), _negated=True), ('closed_at__isnull', False), _connector='OR'), name='closed_complaint_has_time'),
        ),
        migrations.AddConstraint(
            model_name='entry',
            constraint=models.CheckConstraint(condition=models.Q(('text__length__lte', 2000)), name='complaint_entry_bounded'),
        ),
    ]
