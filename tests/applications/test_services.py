import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from applications import services
from applications.models import (
    ApplicationStatus,
    DecisionOutcome,
    MunicipalGroup,
)
from applications.selectors import application_deadline_for
from audit.models import AuditEntry
from tests.applications.factories import (
    ApplicationFactory,
    GroupMemberFactory,
    JuryMemberFactory,
    ReviewFactory,
    SelectionCriterionFactory,
    open_region,
    pdf_bytes,
)
from tests.factories import CountyFactory, MunicipalityFactory, UserFactory, board_member, municipal_contact

pytestmark = pytest.mark.django_db


# --- Region and membership rules -------------------------------------------------------------------------


def test_a_contact_starts_a_draft_for_their_member_municipality(region):
    rp, _branch, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = services.application_create(
        actor=contact, regional_program=rp, municipality=municipalities[0]
    )
    assert application.status == ApplicationStatus.DRAFT
    assert application.created_by == contact
    assert AuditEntry.objects.filter(action="applications.application.created").count() == 1


def test_a_board_member_applies_on_behalf_of_a_member_municipality_in_their_branch(region):
    rp, branch, municipalities = region
    board = board_member(branch)
    application = services.application_create(
        actor=board, regional_program=rp, municipality=municipalities[1]
    )
    assert application.municipality == municipalities[1]


def test_a_municipality_outside_the_region_cannot_apply(region):
    rp, _branch, _municipalities = region
    outsider = MunicipalityFactory()  # another county, another branch
    contact = municipal_contact(outsider)
    with pytest.raises(ValidationError, match="hører ikke til regionen"):
        services.application_create(actor=contact, regional_program=rp, municipality=outsider)


def test_a_non_member_municipality_cannot_apply(region):
    rp, branch, _municipalities = region
    county = rp.branches.get().counties.get()
    non_member = MunicipalityFactory(county=county, not_member=True)
    contact = municipal_contact(non_member)
    with pytest.raises(ValidationError, match="medlemskommuner"):
        services.application_create(actor=contact, regional_program=rp, municipality=non_member)


def test_one_application_per_municipality_per_regional_programme(region):
    rp, _branch, municipalities = region
    contact = municipal_contact(municipalities[0])
    services.application_create(actor=contact, regional_program=rp, municipality=municipalities[0])
    with pytest.raises(ValidationError, match="allerede en søknad"):
        services.application_create(actor=contact, regional_program=rp, municipality=municipalities[0])


def test_a_contact_cannot_apply_for_another_municipality(region):
    rp, _branch, municipalities = region
    contact = municipal_contact(municipalities[0])
    with pytest.raises(ValidationError, match="på vegne av denne kommunen"):
        services.application_create(actor=contact, regional_program=rp, municipality=municipalities[1])


def test_applications_cannot_start_before_the_window_opens():
    rp, _branch, _county, municipalities = open_region(
        applications_open_at=timezone.now() + dt.timedelta(days=1)
    )
    contact = municipal_contact(municipalities[0])
    with pytest.raises(ValidationError, match="ikke åpnet"):
        services.application_create(actor=contact, regional_program=rp, municipality=municipalities[0])


# --- Deadline and late permission ---------------------------------------------------------------------------


def test_after_the_deadline_a_draft_can_neither_be_saved_nor_submitted():
    rp, _b, _c, municipalities = open_region()
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    rp.application_deadline = timezone.now() - dt.timedelta(minutes=1)
    rp.save()
    with pytest.raises(ValidationError, match="fristen har gått ut"):
        services.application_draft_save(actor=contact, application=application, data={"motivation": "sent"})
    with pytest.raises(ValidationError, match="fristen har gått ut"):
        services.application_submit(actor=contact, application=application)


def test_leadership_lets_one_municipality_submit_late_with_its_own_deadline():
    rp, _b, _c, municipalities = open_region(application_deadline=timezone.now() - dt.timedelta(hours=1))
    leader = UserFactory(leadership=True)
    late, other = municipalities[0], municipalities[1]
    own_deadline = timezone.now() + dt.timedelta(days=2)
    services.application_deadline_extension_grant(
        actor=leader, regional_program=rp, municipality=late, deadline=own_deadline, reason="Sykdom"
    )
    assert application_deadline_for(regional_program=rp, municipality=late) == own_deadline
    assert application_deadline_for(regional_program=rp, municipality=other) == rp.application_deadline

    application = services.application_create(
        actor=municipal_contact(late), regional_program=rp, municipality=late
    )
    with pytest.raises(ValidationError, match="fristen har gått ut"):
        services.application_create(actor=municipal_contact(other), regional_program=rp, municipality=other)
    GroupMemberFactory(application=application, is_coordinator=True)
    GroupMemberFactory(application=application)
    services.application_draft_save(
        actor=application.created_by,
        application=application,
        data={"motivation": "a", "development_links": "b", "anchoring": "c", "commitment": True},
    )
    submitted = services.application_submit(actor=application.created_by, application=application)
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_a_deadline_extension_only_for_member_municipalities_of_the_region(region):
    rp, _b, _m = region
    with pytest.raises(ValidationError):
        services.application_deadline_extension_grant(
            actor=UserFactory(leadership=True),
            regional_program=rp,
            municipality=MunicipalityFactory(),
            deadline=timezone.now(),
        )


# --- Draft, submit, withdraw -----------------------------------------------------------------------------------


def test_submit_requires_a_complete_application_and_names_what_is_missing(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], motivation="Noe")
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=contact, application=application)
    message = exc.value.messages[0]
    assert "Forankring" in message
    assert "koordinator" in message
    assert "Forpliktelse" in message
    assert "Hvorfor" not in message


def test_submit_sends_a_receipt_to_contact_coordinator_and_branch(region, django_capture_on_commit_callbacks):
    rp, branch, municipalities = region
    contact = municipal_contact(municipalities[0], email="kontakt@example.org")
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    coordinator = application.group_members.get(is_coordinator=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=contact, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_by == contact
    recipients = {address for message in mail.outbox for address in message.to}
    assert any("kontakt@example.org" in r for r in recipients)
    assert any(coordinator.email in r for r in recipients)
    assert any(branch.email in r for r in recipients)
    message = next(m for m in mail.outbox if "kontakt@example.org" in m.to[0])
    assert "Kvittering" in message.subject
    assert application.motivation in message.body
    html = message.alternatives[0][0]
    assert application.anchoring in html
    assert f"/soknader/{application.pk}/utskrift/" in message.body  # the printable page, for the contact
    # the coordinator and the branch's address have no account: the content, never a login they cannot use
    for address in (coordinator.email, branch.email):
        other = next(m for m in mail.outbox if address in m.to[0])
        assert application.motivation in other.body
        assert "/soknader/" not in other.body
        assert "/soknader/" not in other.alternatives[0][0]
    # and the receipt belongs to its edition (the reminders page filtered by it lists it)
    from reminders.models import Delivery

    assert set(Delivery.objects.values_list("program_id", flat=True)) == {rp.program_id}


def test_editing_a_submitted_application_keeps_it_submitted_and_sends_an_updated_receipt(
    region, django_capture_on_commit_callbacks
):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_draft_save(
            actor=contact, application=application, data={"motivation": "Ny"}
        )
    assert application.status == ApplicationStatus.SUBMITTED
    assert not application.edited_after_submit
    assert mail.outbox
    assert "endret" in mail.outbox[0].subject
    assert "Ny" in mail.outbox[0].body
    assert "oppdatert kvittering" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="applications.application.submitted_updated").exists()


def test_a_change_that_makes_a_submitted_application_incomplete_is_refused_and_nothing_changes(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    before = application.anchoring
    with pytest.raises(ValidationError) as exc:
        services.application_draft_save(
            actor=contact, application=application, data={"anchoring": "", "motivation": "Ny"}
        )
    assert "anchoring" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.anchoring == before
    assert application.motivation != "Ny"


def test_withdraw_and_take_up_again_before_the_deadline(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    application = services.application_withdraw(actor=contact, application=application)
    assert application.status == ApplicationStatus.WITHDRAWN
    application = services.application_draft_save(
        actor=contact, application=application, data={"motivation": "Igjen"}
    )
    assert application.status == ApplicationStatus.DRAFT


def test_naming_a_new_coordinator_takes_the_title_from_the_previous(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    new = services.application_group_member_save(
        actor=contact,
        application=application,
        data={"name": "Nora Ny", "email": "nora@example.org", "sector": "skole", "is_coordinator": True},
    )
    assert list(application.group_members.filter(is_coordinator=True)) == [new]


# --- Attachments --------------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_attachments_accept_pdf_and_office_files_checked_by_content(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    pdf = services.application_attachment_add(
        actor=contact, application=application, upload=SimpleUploadedFile("vedtak.pdf", pdf_bytes())
    )
    docx = services.application_attachment_add(
        actor=contact, application=application, upload=SimpleUploadedFile("plan.docx", _docx_bytes())
    )
    assert pdf.file.name.startswith(f"applications/{application.pk}/")
    assert docx.original_name == "plan.docx"
    assert application.attachments.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Bare PDF og Office"),
        ("falsk.pdf", b"<html>not a pdf</html>", "stemmer ikke med filtypen"),
        ("falsk.docx", b"PK\x03\x04 not really a zip", "skadet"),
        ("tom.pdf", b"", "tom"),
    ],
)
def test_attachments_of_the_wrong_kind_are_refused(region, name, content, message):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    with pytest.raises(ValidationError, match=message):
        services.application_attachment_add(
            actor=contact, application=application, upload=SimpleUploadedFile(name, content)
        )
    assert application.attachments.count() == 0


def test_attachments_over_ten_megabytes_are_refused(region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB"):
        services.application_attachment_add(
            actor=municipal_contact(municipalities[0]), application=application, upload=big
        )


# --- Recommendation ------------------------------------------------------------------------------------------


def test_only_the_branch_board_recommends_and_only_submitted_applications(region):
    rp, branch, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    other_board = board_member(CountyFactory().branch)
    with pytest.raises(ValidationError):
        services.application_recommend(
            actor=other_board, application=application, recommendation="x", priority=1
        )
    board = board_member(branch)
    services.application_recommend(
        actor=board, application=application, recommendation="Sterk søknad", priority=1
    )
    application.refresh_from_db()
    assert (application.recommendation, application.recommendation_priority) == ("Sterk søknad", 1)


# --- Jury --------------------------------------------------------------------------------------------------


def test_jury_member_with_account_is_added_and_gets_the_role(region):
    rp, _b, _m = region
    leader = UserFactory(leadership=True)
    person = UserFactory(email="ny.jury@example.org")
    member = services.jury_member_add(actor=leader, regional_program=rp, email="Ny.Jury@example.org")
    assert member.user == person
    assert RoleAssignment.objects.filter(user=person, role=Role.JURY_MEMBER).exists()
    with pytest.raises(ValidationError, match="allerede jurymedlem"):
        services.jury_member_add(actor=leader, regional_program=rp, email="ny.jury@example.org")


def test_a_new_person_is_invited_to_the_jury_and_linked_when_they_have_an_account(
    region, django_capture_on_commit_callbacks
):
    rp, _b, _m = region
    leader = UserFactory(leadership=True)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.jury_member_add(
            actor=leader, regional_program=rp, email="ukjent@example.org", full_name="Una Ukjent"
        )
    assert member.user is None
    assert any("ukjent@example.org" in to for m in mail.outbox for to in m.to)
    person = UserFactory(email="ukjent@example.org")
    assert services.jury_memberships_claim(user=person) == 1
    member.refresh_from_db()
    assert member.user == person


def test_a_conflict_needs_a_reason_and_blocks_scoring(region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    review = ReviewFactory(application=application, jury_member=JuryMemberFactory(regional_program=rp))
    juror = review.jury_member.user
    with pytest.raises(ValidationError):
        services.review_conflict_declare(actor=juror, review=review, has_conflict=True, note=" ")
    services.review_conflict_declare(
        actor=juror, review=review, has_conflict=True, note="Søster i kommunegruppen"
    )
    criterion = SelectionCriterionFactory(regional_program=rp)
    with pytest.raises(ValidationError, match="inhabilitet"):
        services.review_save(actor=juror, review=review, scores={criterion.pk: 3}, comment="", submit=True)


def test_a_review_is_submitted_only_with_every_criterion_scored_1_to_5(region):
    rp, _b, municipalities = region
    c1, c2 = SelectionCriterionFactory(regional_program=rp), SelectionCriterionFactory(regional_program=rp)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    review = ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp), no_conflict=True
    )
    juror = review.jury_member.user
    with pytest.raises(ValidationError):
        services.review_save(
            actor=juror, review=review, scores={c1.pk: 4, c2.pk: None}, comment="", submit=True
        )
    with pytest.raises(ValidationError):
        services.review_save(actor=juror, review=review, scores={c1.pk: 6, c2.pk: 3}, comment="", submit=True)
    review = services.review_save(
        actor=juror, review=review, scores={c1.pk: 4, c2.pk: 3}, comment="God", submit=True
    )
    assert review.submitted_at is not None
    with pytest.raises(ValidationError, match="allerede levert"):
        services.review_save(actor=juror, review=review, scores={c1.pk: 1, c2.pk: 1}, comment="", submit=True)


# --- Decisions ----------------------------------------------------------------------------------------------


def test_acceptance_over_the_number_of_places_needs_a_confirmed_override(django_capture_on_commit_callbacks):
    rp, _b, _c, municipalities = open_region(places=1)
    leader = UserFactory(leadership=True)
    first, second = (
        ApplicationFactory(regional_program=rp, municipality=m, submitted=True) for m in municipalities[:2]
    )
    services.decision_make(
        confirm_before_deadline=True, actor=leader, application=first, outcome=DecisionOutcome.ACCEPTED
    )
    with pytest.raises(ValidationError) as exc:
        services.decision_make(
            confirm_before_deadline=True, actor=leader, application=second, outcome=DecisionOutcome.ACCEPTED
        )
    assert "confirm_over_capacity" in exc.value.message_dict
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    decision = services.decision_make(
        confirm_before_deadline=True,
        actor=leader,
        application=second,
        outcome=DecisionOutcome.ACCEPTED,
        confirm_over_capacity=True,
    )
    assert decision.over_capacity_confirmed
    # Waitlisting and declining never need the override.
    third = ApplicationFactory(regional_program=rp, municipality=municipalities[2], submitted=True)
    services.decision_make(
        confirm_before_deadline=True, actor=leader, application=third, outcome=DecisionOutcome.WAITLISTED
    )


def test_acceptance_creates_the_group_with_the_proposed_members_and_coordinator(
    region, django_capture_on_commit_callbacks
):
    rp, branch, municipalities = region
    leader = UserFactory(leadership=True)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    coordinator = application.group_members.get(is_coordinator=True)
    municipal_contact(municipalities[0], email="kontakt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_make(
            confirm_before_deadline=True,
            actor=leader,
            application=application,
            outcome=DecisionOutcome.ACCEPTED,
        )
    group = MunicipalGroup.objects.get(regional_program=rp, municipality=municipalities[0])
    assert group.application == application
    assert group.coordinator_email == coordinator.email
    assert sorted(m.email for m in group.members.all()) == sorted(
        m.email for m in application.group_members.all()
    )
    assert group.members.get(is_coordinator=True).name == coordinator.name
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert "tatt opp" in decision.letter_subject
    assert municipalities[0].name in decision.letter_text
    letters = [m for m in mail.outbox if m.subject == decision.letter_subject]
    recipients = {r for m in letters for r in m.to}
    assert any("kontakt@example.org" in r for r in recipients)
    assert any(coordinator.email in r for r in recipients)
    assert any(branch.email in r for r in recipients)
    # The coordinator has no account: they are invited to the municipal contact role.
    from accounts.models import Invitation

    invitation = Invitation.objects.get(email=coordinator.email)
    assert invitation.role == Role.MUNICIPAL_CONTACT
    assert invitation.municipality == municipalities[0]


def test_a_coordinator_who_is_already_the_contact_gets_no_invitation(
    region, django_capture_on_commit_callbacks
):
    from accounts.models import Invitation

    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    coordinator = application.group_members.get(is_coordinator=True)
    municipal_contact(municipalities[0], email=coordinator.email)
    services.decision_make(
        confirm_before_deadline=True,
        actor=UserFactory(leadership=True),
        application=application,
        outcome=DecisionOutcome.ACCEPTED,
    )
    assert not Invitation.objects.filter(email=coordinator.email).exists()


def test_decision_letter_uses_leadership_template_with_placeholders(
    region, django_capture_on_commit_callbacks
):
    rp, _b, municipalities = region
    leader = UserFactory(leadership=True)
    services.decision_letter_template_save(
        actor=leader,
        regional_program=rp,
        outcome=DecisionOutcome.DECLINED,
        subject="Svar til {kommune}",
        body="Kjære {kommune}, takk for søknaden til {regionalt_program}.",
    )
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    decision = services.decision_make(
        confirm_before_deadline=True, actor=leader, application=application, outcome=DecisionOutcome.DECLINED
    )
    assert decision.letter_subject == f"Svar til {municipalities[0].name}"
    assert decision.letter_text == f"Kjære {municipalities[0].name}, takk for søknaden til {rp.name}."
    assert not MunicipalGroup.objects.exists()


def test_an_acceptance_with_a_group_is_not_reversed_silently(region, django_capture_on_commit_callbacks):
    rp, _b, municipalities = region
    leader = UserFactory(leadership=True)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    services.decision_make(
        confirm_before_deadline=True, actor=leader, application=application, outcome=DecisionOutcome.ACCEPTED
    )
    with pytest.raises(ValidationError, match="har en kommunegruppe"):
        services.decision_make(
            confirm_before_deadline=True,
            actor=leader,
            application=application,
            outcome=DecisionOutcome.DECLINED,
        )
    # Waitlisted first, accepted later: the group appears then.
    other = ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    services.decision_make(
        confirm_before_deadline=True, actor=leader, application=other, outcome=DecisionOutcome.WAITLISTED
    )
    assert not MunicipalGroup.objects.filter(application=other).exists()
    services.decision_make(
        confirm_before_deadline=True, actor=leader, application=other, outcome=DecisionOutcome.ACCEPTED
    )
    assert MunicipalGroup.objects.filter(application=other).exists()


def test_drafts_cannot_be_decided(region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    with pytest.raises(ValidationError):
        services.decision_make(
            confirm_before_deadline=True,
            actor=UserFactory(leadership=True),
            application=application,
            outcome=DecisionOutcome.ACCEPTED,
        )


def test_personal_data_of_one_person_is_exported_and_erased(region, django_capture_on_commit_callbacks):
    """Someone named only in an application (no account): the proposal and, after acceptance, the group."""
    from accounts.privacy import person_erase, person_export

    rp, _b, municipalities = region
    leader = UserFactory(leadership=True)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    coordinator = application.group_members.get(is_coordinator=True)
    services.decision_make(
        confirm_before_deadline=True, actor=leader, application=application, outcome=DecisionOutcome.ACCEPTED
    )
    data = person_export(coordinator.email.upper())
    assert data["applications"]["data"]["foreslått kommunegruppe"][0]["navn"] == coordinator.name
    assert data["programs"]["data"]["kommunegruppe"][0]["koordinator"] is True
    changed = person_erase(actor=leader, user_or_email=coordinator.email)
    assert (changed["applications"], changed["programs"]) == (1, 2)
    group = MunicipalGroup.objects.get()
    assert group.coordinator_email == ""
    assert group.members.get(is_coordinator=True).name == "Slettet person"
    data = person_export(coordinator.email)
    assert data["applications"]["data"]["foreslått kommunegruppe"] == []
    assert data["programs"]["data"]["kommunegruppe"] == []
    entry = AuditEntry.objects.get(action="accounts.personal_data.erased")
    assert coordinator.email not in str(entry.details)
    assert coordinator.email not in entry.object_repr


def test_deciding_before_the_deadline_needs_an_explicit_confirmation(region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    leader = UserFactory(leadership=True)
    with pytest.raises(ValidationError) as exc:
        services.decision_make(actor=leader, application=application, outcome=DecisionOutcome.ACCEPTED)
    assert "Søknadsfristen er ikke ute" in str(exc.value.message_dict["confirm_before_deadline"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    rp.application_deadline = timezone.now() - dt.timedelta(minutes=1)
    rp.save()
    services.decision_make(actor=leader, application=application, outcome=DecisionOutcome.ACCEPTED)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    entry = AuditEntry.objects.get(action="applications.application.decided")
    assert entry.details["before_deadline"] is False


def test_removing_a_member_from_a_submitted_application_is_refused_when_it_would_be_incomplete(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    first, second = application.group_members.filter(is_coordinator=False)[:2]
    services.application_group_member_delete(actor=contact, member=first)  # 3 → 2 members: still complete
    with pytest.raises(ValidationError) as exc:
        services.application_group_member_delete(actor=contact, member=second)
    assert "Minst to medlemmer" in str(exc.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.group_members.count() == 2
    assert AuditEntry.objects.filter(action="applications.group_member.removed").count() == 1


def test_a_jury_member_is_told_what_to_do_and_by_when_once_per_assignment(
    region, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from applications.reminders import JURY_ASSIGNMENT
    from reminders.models import Delivery

    rp, _b, municipalities = region
    leader = UserFactory(leadership=True)
    UserFactory(email="jurist@example.org", full_name="Jo Jurist")
    first = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    second = ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    deadline = timezone.now() + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.jury_member_add(actor=leader, regional_program=rp, email="jurist@example.org")
    added = [m for m in mail.outbox if "jurist@example.org" in m.to[0] and "jurymedlem i" in m.subject]
    assert len(added) == 1
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.jury_assignments_set(
            actor=leader, member=member, applications=[first], review_deadline=deadline
        )
        services.jury_assignments_set(actor=leader, member=member, applications=[first])  # no new: no mail
        services.jury_assignments_set(actor=leader, member=member, applications=[first, second])
    assert [m.subject for m in mail.outbox] == [
        f"1 søknad å vurdere i {rp.name}",
        f"1 søknad å vurdere i {rp.name}",
    ]
    body = mail.outbox[0].body
    assert municipalities[0].name in body
    assert "inhabil" in body
    assert "Fristen for vurderingene er " in body
    assert "/soknader/jury/" in body
    assert municipalities[0].name not in mail.outbox[1].body
    assert municipalities[1].name in mail.outbox[1].body
    assert set(
        Delivery.objects.filter(occasion=JURY_ASSIGNMENT.code).values_list("program_id", flat=True)
    ) == {rp.program_id}
    rp.refresh_from_db()
    assert rp.review_deadline == deadline


def test_a_jury_member_without_an_account_gets_no_login_link(region, django_capture_on_commit_callbacks):
    rp, _b, municipalities = region
    leader = UserFactory(leadership=True)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.jury_member_add(
            actor=leader, regional_program=rp, email="ny@example.org", full_name="Ny Person"
        )
        services.jury_assignments_set(actor=leader, member=member, applications=[application])
    notice = next(m for m in mail.outbox if "å vurdere" in m.subject)
    assert "/soknader/jury/" not in notice.body
    assert "invitasjon" in notice.body


def test_decision_letter_links_only_for_recipients_with_an_account_and_belongs_to_the_edition(
    region, django_capture_on_commit_callbacks
):
    from reminders.models import Delivery

    rp, branch, municipalities = region
    leader = UserFactory(leadership=True)
    municipal_contact(municipalities[0], email="kontakt@example.org")
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    coordinator = application.group_members.get(is_coordinator=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_make(
            confirm_before_deadline=True,
            actor=leader,
            application=application,
            outcome=DecisionOutcome.DECLINED,
        )
    contact_mail = next(m for m in mail.outbox if "kontakt@example.org" in m.to[0])
    assert f"/soknader/{application.pk}/" in contact_mail.body
    coordinator_mail = next(m for m in mail.outbox if coordinator.email in m.to[0])
    assert "/soknader/" not in coordinator_mail.body
    assert "/soknader/" not in coordinator_mail.alternatives[0][0]
    assert set(Delivery.objects.values_list("program_id", flat=True)) == {rp.program_id}


def test_a_proposed_group_refuses_the_same_address_in_other_capitals(region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    data = {"name": "Ola", "email": "ola@example.org", "sector": "skole", "role_title": "", "phone": ""}
    services.application_group_member_save(actor=contact, application=application, data=data)
    with pytest.raises(ValidationError, match="allerede med i gruppen"):
        services.application_group_member_save(
            actor=contact, application=application, data={**data, "name": "OLA", "email": "OLA@Example.org "}
        )
    assert application.group_members.count() == 1


def test_a_moved_application_deadline_moves_its_reminders_at_once(django_capture_on_commit_callbacks):
    from applications.reminders import APPLICATION_DEADLINE
    from reminders.models import Delivery, DeliveryState
    from reminders.services import deliveries_plan

    rp, _b, _c, municipalities = open_region(application_deadline=timezone.now() + dt.timedelta(days=20))
    for municipality in municipalities:
        municipality.email = f"post{municipality.pk}@example.org"
        municipality.save()
    deliveries_plan(codes=[APPLICATION_DEADLINE])
    late = municipalities[0]
    leader = UserFactory(leadership=True)
    with django_capture_on_commit_callbacks(execute=True):  # no sweep runs
        services.application_deadline_extension_grant(
            actor=leader,
            regional_program=rp,
            municipality=late,
            deadline=rp.application_deadline + dt.timedelta(days=30),
        )
    planned = Delivery.objects.filter(occasion=APPLICATION_DEADLINE, state=DeliveryState.PLANNED)
    latest = {row.recipient_email: row.planned_at for row in planned.order_by("planned_at")}
    assert latest[late.email] > rp.application_deadline
    assert latest[municipalities[1].email] < rp.application_deadline
    new_deadline = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_window_update(
            actor=leader,
            regional_program=rp,
            applications_open_at=rp.applications_open_at,
            application_deadline=new_deadline,
            places=rp.places,
            applicant_guidance="",
        )
    # the reminders now come before the earlier deadline, without a sweep
    times = planned.filter(recipient_email=municipalities[1].email).values_list("planned_at", flat=True)
    assert times
    assert max(times) < new_deadline
