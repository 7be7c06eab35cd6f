"""Plan.basis: what a plan was built on, to tell when it goes stale. Plans made before it was
recorded get a partial basis from their own action items: each planned indicator's level
before its first step (whole levels only: a rounded 1.17 would read as a change) and the
highest level planned. A change to an indicator the plan did not touch is not seen there."""

from django.db import migrations, models


def fill_from_items(apps, schema_editor):
    Plan = apps.get_model("planning", "Plan")
    ActionItem = apps.get_model("planning", "ActionItem")
    bases: dict[int, dict] = {}
    steps = ActionItem.objects.order_by("plan_id", "position").values_list(
        "plan_id", "answer__indicator", "from_level", "to_level"
    )
    for plan_id, number, from_level, to_level in steps.iterator():
        basis = bases.setdefault(plan_id, {"levels": {}, "planned": {}, "partial": True})
        planned = basis["planned"]
        first = number not in planned
        planned[number] = max(planned.get(number, to_level), to_level)
        if first and from_level == from_level.to_integral_value():
            basis["levels"][number] = str(int(from_level))
    for plan in Plan.objects.filter(basis={}).only("pk"):
        plan.basis = bases.get(plan.pk, {"levels": {}, "planned": {}, "partial": True})
        plan.save(update_fields=["basis"])


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0002_reminders_sent"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="basis",
            field=models.JSONField(blank=True, default=dict, verbose_name="basis"),
        ),
        migrations.RunPython(fill_from_items, migrations.RunPython.noop),
    ]
