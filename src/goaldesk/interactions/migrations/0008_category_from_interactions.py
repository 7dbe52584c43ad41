"""A category for every category key the interactions already use (named from the key)."""

from django.db import migrations


def create_categories(apps, schema_editor):
    Category = apps.get_model("interactions", "Category")
    Interaction = apps.get_model("interactions", "Interaction")
    pairs = (
        Interaction.objects.exclude(category="")
        .order_by()
        .values_list("organisation_id", "category")
        .distinct()
    )
    Category.objects.bulk_create(
        [Category(organisation_id=org_id, key=key) for org_id, key in pairs.iterator()],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("interactions", "0007_category")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
