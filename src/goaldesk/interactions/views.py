from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.customers.models import Customer
from goaldesk.interactions.detail_sections import detail_sections
from goaldesk.interactions.edit_forms import InteractionNoteForm
from goaldesk.interactions.models import Interaction


def _interaction(request: OrgRequest, pk: int) -> Interaction:
    """The organisation's interaction `pk` with its agent and team (404 for any other's)."""
    return get_object_or_404(
        Interaction.objects.select_related("agent", "team", "organisation"),
        pk=pk,
        organisation=request.org,
    )


def _may_note(request: OrgRequest, interaction: Interaction) -> bool:
    """Managers and owners note any interaction; an agent only those handled by their own
    agent record."""
    if request.membership.allows(Role.MANAGER):
        return True
    return (
        request.membership.allows(Role.AGENT)
        and interaction.agent is not None
        and interaction.agent.user_id == request.user.pk
    )


@org_view(Role.VIEWER)
def interaction_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """One interaction of this organisation: every column, its reviews, notes and history."""
    return _detail_page(request, _interaction(request, pk))


def _detail_page(
    request: OrgRequest,
    interaction: Interaction,
    *,
    note_form: InteractionNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from goaldesk.interactions.selectors import (
        category_label,
        category_names,
        interaction_changes,
        interaction_notes,
        interaction_reviews,
    )

    names = category_names(organisation=request.org)
    changes = interaction_changes(interaction=interaction)
    labels = _field_labels()
    for change in changes:
        change.field_label = labels.get(change.field, change.field)  # type: ignore[attr-defined]
        for side in ("before", "after"):
            shown = _shown_value(change.field, getattr(change, side), names)
            setattr(change, f"{side}_shown", shown)
    may_note = _may_note(request, interaction)
    context = {
        "nav": "interactions",
        "interaction": interaction,
        "category_name": category_label(names, interaction.category),
        "customer": Customer.objects.filter(
            organisation=interaction.organisation_id, key=interaction.customer_id
        ).first()
        if interaction.customer_id
        else None,
        "notes": interaction_notes(interaction=interaction),
        "changes": changes,
        "reviews": interaction_reviews(interaction=interaction),
        "may_edit": request.membership.allows(Role.MANAGER),
        "may_delete": request.membership.allows(Role.OWNER),
        "note_form": (note_form or InteractionNoteForm()) if may_note else None,
        "sections": detail_sections(interaction=interaction, membership=request.membership),
    }
    return render(request, "interactions/detail.html", context, status=status)


def _field_labels() -> dict[str, str]:
    """{canonical column: its label on the edit form}."""
    from goaldesk.interactions.edit_forms import InteractionEditForm

    labels = {name: str(field.label) for name, field in InteractionEditForm.base_fields.items()}
    labels["external_id"] = str(Interaction._meta.get_field("external_id").verbose_name)
    return labels


def _shown_value(field: str, value: str, categories: dict[str, str]) -> str:
    """A recorded value (canonical text) as the reader knows it: a moment in their calendar,
    a choice by its label, a category by its name, a duration formatted, "—" for none."""
    import datetime as dt

    from goaldesk.core.display import digits, duration, ldatetime
    from goaldesk.interactions.models import Outcome, Sentiment, Status, channel_label
    from goaldesk.interactions.selectors import category_label

    if value == "":
        return "—"
    if field.endswith("_at"):
        try:
            return ldatetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if field.endswith("_seconds"):
        try:
            return duration(float(value))
        except ValueError:
            return value
    if field == "channel":
        return channel_label(value)
    if field == "category":
        return category_label(categories, value)
    for column, choices in (
        ("status", Status),
        ("outcome", Outcome),
        ("sentiment_start", Sentiment),
        ("sentiment_end", Sentiment),
    ):
        if field == column:
            return str(dict(choices.choices).get(value, value))
    if field in ("csat", "nps", "ces"):
        return digits(value)
    return value


@org_view(Role.MANAGER)
def interaction_edit(request: OrgRequest, pk: int) -> HttpResponse:
    """Edit the columns of one interaction; each change is recorded (who, when, before, after)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.core.display import form_digits
    from goaldesk.interactions.edit_forms import InteractionEditForm
    from goaldesk.interactions.records import RecordError
    from goaldesk.interactions.selectors import category_names
    from goaldesk.interactions.services import interaction_update

    interaction = _interaction(request, pk)
    names = category_names(organisation=request.org)
    data = request.POST if request.method == "POST" else None
    form = InteractionEditForm(data, interaction=interaction, categories=names)
    if data is not None and form.is_valid():
        try:
            changes = interaction_update(
                interaction=interaction, user=request.user, values=form.changed_values()
            )
        except RecordError as error:
            column = error.column if error.column in form.fields else None
            form.add_error(column, error.reason)
        else:
            if changes:
                messages.success(request, _("The interaction was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("interactions:detail", request.org.slug, interaction.pk)
    form_digits(form)
    context = {"nav": "interactions", "interaction": interaction, "form": form}
    return render(request, "interactions/edit.html", context, status=400 if form.errors else 200)


@org_view(Role.AGENT)
@require_POST
def interaction_note(request: OrgRequest, pk: int) -> HttpResponse:
    """Add a note (managers and owners on any interaction, agents on their own)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from goaldesk.interactions.services import interaction_note_add

    interaction = _interaction(request, pk)
    if not _may_note(request, interaction):
        raise PermissionDenied
    form = InteractionNoteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, interaction, note_form=form, status=400)
    interaction_note_add(
        interaction=interaction, author=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, _("The note was added."))
    return redirect("interactions:detail", request.org.slug, interaction.pk)


@org_view(Role.OWNER)
def interaction_delete(request: OrgRequest, pk: int) -> HttpResponse:
    """Delete one interaction: GET asks to confirm, POST deletes (the deletion is recorded)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.interactions.services import interaction_delete as delete

    interaction = _interaction(request, pk)
    if request.method == "POST":
        delete(interaction=interaction, user=request.user)
        messages.success(
            request,
            _("The interaction %(id)s was deleted.") % {"id": interaction.external_id},
        )
        return redirect("metrics:interactions", request.org.slug)
    context = {"nav": "interactions", "interaction": interaction}
    return render(request, "interactions/delete.html", context)


@org_view(Role.AGENT)
def log_visit(request: OrgRequest) -> HttpResponse:
    """The walk-in desk's quick form: one visit in a few taps, then ready for the next."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.accounts.models import today_in
    from goaldesk.interactions.forms import LogVisitForm
    from goaldesk.interactions.models import Channel, Interaction
    from goaldesk.interactions.services import interaction_create
    from goaldesk.team.models import Agent

    organisation = request.org
    agent = (
        Agent.objects.select_related("team")
        .filter(organisation=organisation, user=request.user, active=True)
        .first()
    )
    form = LogVisitForm(
        request.POST if request.method == "POST" else None, organisation=organisation, agent=agent
    )
    if request.method == "POST" and form.is_valid() and form.record is not None:
        interaction_create(organisation=organisation, data=form.record)
        messages.success(request, _("Visit saved. Ready for the next visitor."))
        return redirect("interactions:log_visit", organisation.slug)
    today = Interaction.objects.filter(
        organisation=organisation, channel=Channel.WALK_IN, local_date=today_in(organisation)
    )
    context = {
        "nav": "log",
        "form": form,
        "agent": agent,
        "visits_today": today.count(),
        "my_visits_today": today.filter(agent=agent).count() if agent else None,
    }
    return render(request, "interactions/log_visit.html", context)


@org_view(Role.MANAGER)
def categories(request: OrgRequest) -> HttpResponse:
    """The organisation's categories: each key, its interactions and its name per language."""
    from django.conf import settings
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.accounts.settings_views import render_settings
    from goaldesk.interactions.forms import CategoryNamesForm, category_forms_valid
    from goaldesk.interactions.selectors import category_list
    from goaldesk.interactions.services import category_names_save

    organisation = request.org
    found = category_list(organisation=organisation)
    data = request.POST if request.method == "POST" else None
    rows = [
        CategoryNamesForm(data, category=category, organisation_language=organisation.language)
        for category in found
    ]
    if data is not None:
        if category_forms_valid(rows):
            category_names_save(
                organisation=organisation,
                names={form.category.pk: form.names() for form in rows if form.submitted},
            )
            messages.success(request, _("The categories’ names were saved."))
            return redirect("interactions:categories", organisation.slug)
        messages.error(request, _("Nothing was saved: correct the names marked below."))
    return render_settings(
        request,
        "interactions/categories.html",
        "categories",
        rows=rows,
        languages=settings.LANGUAGES,
    )
