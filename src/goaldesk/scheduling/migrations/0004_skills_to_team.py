"""Agents' channels and languages move from their work profiles to team's skills: each becomes a
Skill of the organisation and an AgentSkill at level Proficient (with its line in the history),
then the two JSON fields go."""

from django.db import migrations
from django.utils import timezone

PROFICIENT = 3


def profiles_to_skills(apps, schema_editor):
    profile_model = apps.get_model("scheduling", "AgentProfile")
    skill_model = apps.get_model("team", "Skill")
    agent_skill_model = apps.get_model("team", "AgentSkill")
    change_model = apps.get_model("team", "AgentSkillChange")
    now = timezone.now()
    skills: dict[tuple[int, str, str], int] = {}
    for profile in profile_model.objects.select_related("agent").order_by("pk"):
        organisation_id = profile.agent.organisation_id
        wanted = [("channel", str(c)) for c in profile.channels or []]
        wanted += [("language", str(c)) for c in profile.languages or []]
        for kind, code in dict.fromkeys(wanted):
            key = (organisation_id, kind, code)
            if key not in skills:
                skill, _created = skill_model.objects.get_or_create(
                    organisation_id=organisation_id, kind=kind, code=code
                )
                skills[key] = skill.pk
            _row, created = agent_skill_model.objects.get_or_create(
                agent_id=profile.agent_id, skill_id=skills[key], defaults={"level": PROFICIENT}
            )
            if created:
                change_model.objects.create(
                    agent_id=profile.agent_id,
                    skill_id=skills[key],
                    old_level=None,
                    new_level=PROFICIENT,
                    changed_at=now,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_staffing_alert"),
        ("team", "0003_skills_training"),
    ]

    operations = [
        # No way back: the skills stay in team, and the fields come back empty.
        migrations.RunPython(profiles_to_skills, migrations.RunPython.noop),
        migrations.RemoveField(model_name="agentprofile", name="channels"),
        migrations.RemoveField(model_name="agentprofile", name="languages"),
    ]
