import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="clock_offset",
            field=models.DurationField(
                db_default=datetime.timedelta(0),
                default=datetime.timedelta(0),
                verbose_name="clock offset",
            ),
        ),
    ]
