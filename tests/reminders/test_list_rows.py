"""The outbox list's rows, written in Python by `reminders_tags.delivery_rows`, are the markup the template wrote
before (kept below as it was), byte for byte, in every tab, in both languages."""

import datetime as dt

import pytest
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation

from programs.models import Program
from reminders.models import CancelReason, Delivery, DeliveryState

# templates/reminders/delivery_list.html's loop and partials/delivery_resend.html before the rows moved to Python
OLD_ROWS = """{% load i18n reminders_tags %}{% for d in page %}
    <tr role="row">
      <td role="cell" data-label="{% translate 'Hva' %}">{{ d.occasion|occasion_label }}{% if d.is_paused %} <span class="badge text-bg-warning">{% translate "På pause" %}</span>{% endif %}{% if d.about %}<br><span class="small" data-testid="delivery-about">{{ d.about }}</span>{% endif %}{% if d.program %}<br><span class="small text-body-secondary">{{ d.program.name }}</span>{% endif %}</td>
      <td role="cell" data-label="{% translate 'Til' %}">{% if d.recipient_name %}{{ d.recipient_name }}<br>{% endif %}<span class="small">{{ d.recipient_email }}</span></td>
      {% if tab == "kommende" %}
      <td role="cell" data-label="{% translate 'Når' %}">{{ d.next_attempt_at|date:"DATETIME_FORMAT" }}{% if d.attempts %}<br><span class="small text-danger">{% blocktranslate count n=d.attempts %}{{ n }} forsøk feilet{% plural %}{{ n }} forsøk feilet{% endblocktranslate %}</span>{% endif %}</td>
      <td role="cell"><form method="post" action="{% url 'reminders:delivery_cancel' d.pk %}">{% csrf_token %}<input type="hidden" name="next" value="{{ here }}"><button type="submit" class="btn btn-sm btn-outline-danger">{% translate "Avbryt" %}<span class="visually-hidden"> {% blocktranslate with email=d.recipient_email %}påminnelsen til {{ email }}{% endblocktranslate %}</span></button></form></td>
      {% elif tab == "feilet" %}
      <td role="cell" data-label="{% translate 'Status' %}">{% if d.state == "planned" %}{% blocktranslate with when=d.next_attempt_at|date:"DATETIME_FORMAT" %}Prøves igjen {{ when }}{% endblocktranslate %}{% else %}{{ d.get_state_display }}{% endif %}<br><span class="small">{% blocktranslate count n=d.attempts %}{{ n }} forsøk{% plural %}{{ n }} forsøk{% endblocktranslate %}</span></td>
      <td role="cell" data-label="{% translate 'Hva gikk galt' %}">{{ d.last_error|delivery_error_explained }}<details><summary class="small">{% translate "Teknisk feilmelding" %}</summary><code class="text-break">{{ d.last_error|truncatechars:500 }}</code></details></td>
      <td role="cell">{% include "delivery_resend.html" with label=_("Send på nytt") style="btn-outline-primary" %}</td>
      {% elif tab == "sendt" %}
      <td role="cell" data-label="{% translate 'Sendt' %}">{{ d.sent_at|date:"DATETIME_FORMAT" }}</td>
      <td role="cell">{% include "delivery_resend.html" with label=_("Send på nytt") style="btn-outline-secondary" %}</td>
      {% elif tab == "erstattet" %}
      <td role="cell" data-label="{% translate 'Status' %}">{{ d.get_state_display }}{% if d.why_not_sent %}<br><span class="small" data-testid="delivery-reason">{{ d.why_not_sent }}</span>{% endif %}</td>
      <td role="cell" data-label="{% translate 'Planlagt' %}">{{ d.planned_at|date:"DATETIME_FORMAT" }}</td>
      {% else %}
      <td role="cell" data-label="{% translate 'Status' %}">{% if d.state == "cancelled" %}{{ d.get_cancel_reason_display|default:d.get_state_display }}{% else %}{{ d.get_state_display }}{% endif %}{% if d.why_not_sent %}<br><span class="small" data-testid="delivery-reason">{{ d.why_not_sent }}</span>{% endif %}</td>
      <td role="cell" data-label="{% translate 'Planlagt' %}">{{ d.planned_at|date:"DATETIME_FORMAT" }}</td>
      <td role="cell"><div class="d-flex flex-wrap gap-1">
        {% if d.state == "cancelled" and d.cancel_reason == "manual" and not d.send_refusal %}<form method="post" action="{% url 'reminders:delivery_restore' d.pk %}">{% csrf_token %}<input type="hidden" name="next" value="{{ here }}"><button type="submit" class="btn btn-sm btn-outline-primary">{% translate "Gjenopprett" %}<span class="visually-hidden"> {% blocktranslate with email=d.recipient_email %}påminnelsen til {{ email }}{% endblocktranslate %}</span></button></form>{% endif %}
        {% include "delivery_resend.html" with label=_("Send nå") style="btn-outline-secondary" %}
      </div></td>
      {% endif %}
    </tr>
  {% endfor %}"""
OLD_RESEND = """{% load i18n %}{% if d.send_refusal and d.state == "sent" %}<span class="small text-body-secondary" data-testid="send-refusal">{% blocktranslate with reason=d.send_refusal %}Sendes ikke på nytt: {{ reason }}{% endblocktranslate %}</span>{% elif d.send_refusal %}<span class="small text-body-secondary" data-testid="send-refusal">{% if d.send_refusal == d.why_not_sent %}{% translate "Kan ikke sendes nå." %}{% else %}{% blocktranslate with reason=d.send_refusal %}Kan ikke sendes nå: {{ reason }}{% endblocktranslate %}{% endif %}</span>{% else %}<form method="post" action="{% url 'reminders:delivery_resend' d.pk %}">{% csrf_token %}<input type="hidden" name="next" value="{{ here }}"><button type="submit" class="btn btn-sm {{ style }}">{{ label }}<span class="visually-hidden"> {% blocktranslate with email=d.recipient_email %}til {{ email }}{% endblocktranslate %}</span></button></form>{% endif %}
"""
NEW_ROWS = "{% load reminders_tags %}{% delivery_rows page tab here %}"
TABS = ["kommende", "feilet", "sendt", "erstattet", "ikke-sendt"]
UTC = dt.UTC


def _engine() -> Engine:
    templates = {"old.html": OLD_ROWS, "delivery_resend.html": OLD_RESEND, "new.html": NEW_ROWS}
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)], libraries=get_installed_libraries()
    )


def _rows() -> list[Delivery]:
    program = Program(pk=3, name="Fremtidens <kulturskole> & «Vest»")
    moments = [
        dt.datetime(2027, 3, 28, 0, 59, tzinfo=UTC),  # the night summer time begins in Oslo
        dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC),
        dt.datetime(2027, 9, 15, 21, 59, tzinfo=UTC),
    ]
    long_error = "SMTPRecipientsRefused: {'a@b': (550, b'<no such user> & \"more\"')} " + "x" * 600
    cases = [
        # state, cancel reason, attempts, last error, refusal, why not sent
        (DeliveryState.PLANNED, "", 0, "", "", ""),
        (DeliveryState.PLANNED, "", 2, "Connection refused", "", ""),
        (DeliveryState.FAILED, "", 1, long_error, "", ""),
        (DeliveryState.FAILED, "", 5, "(452, b'try later')", "Samlingen er avlyst & borte", ""),
        (DeliveryState.SENT, "", 1, "", "", ""),
        (DeliveryState.SENT, "", 1, "", "Samme <grunn>", "Samme <grunn>"),
        (DeliveryState.CANCELLED, CancelReason.MANUAL, 0, "", "", ""),
        (DeliveryState.CANCELLED, CancelReason.MANUAL, 0, "", "Gjelder ikke", ""),
        (DeliveryState.CANCELLED, CancelReason.PLAN, 0, "", "Flyttet", "Flyttet"),
        (DeliveryState.CANCELLED, "", 0, "", "", ""),
        (DeliveryState.SKIPPED, "", 1, "Det påminnelsen gjelder & mer", "", "Det påminnelsen gjelder & mer"),
        (DeliveryState.MISSED, "", 0, "tidspunktet var passert", "", ""),
        (DeliveryState.SUPERSEDED, "", 0, "Erstattet av «ny»", "", "Erstattet av «ny»"),
        (DeliveryState.SUPERSEDED, "", 0, "", "", ""),
    ]
    occasions = ["gatherings.preparation", "programs.interest_deadline", "no.such.occasion"]
    rows = []
    for i, (state, reason, attempts, error, refusal, why) in enumerate(cases):
        delivery = Delivery(
            pk=1000 + i,
            occasion=occasions[i % len(occasions)],
            program=program if i % 3 else None,
            recipient_name="" if i % 4 == 1 else f"Kari <Nordmann> & «{i}»",
            recipient_email=f'o\'neil+"{i}"@example.org',
            planned_at=moments[i % 3],
            next_attempt_at=moments[(i + 1) % 3],
            sent_at=moments[(i + 2) % 3] if state == DeliveryState.SENT else None,
            state=state,
            cancel_reason=reason,
            attempts=attempts,
            last_error=error,
        )
        delivery.is_paused = i % 5 == 2
        delivery.about = "" if i % 2 else f"Samling {i}: «Tema» & <plan> (12.03.2026)"
        delivery.send_refusal = refusal
        delivery.why_not_sent = why
        rows.append(delivery)
    return rows


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("tab", TABS)
def test_rows_are_the_markup_the_template_wrote(language, tab):
    engine, rows = _engine(), _rows()
    context = {"page": rows, "tab": tab, "here": '/paminnelser/?q=a&b="c"&vis=feilet', "csrf_token": "t0k3n"}
    with translation.override(language):
        old = engine.get_template("old.html").render(Context(context))
        new = engine.get_template("new.html").render(Context(context))
    assert new == old
    assert old.count('<tr role="row">') == len(rows)
    assert "&lt;kulturskole&gt; &amp; «Vest»" in new  # escaped, never markup
    assert "o&#x27;neil+&quot;1&quot;@example.org" in new


def test_rows_without_a_csrf_token_write_no_token_field():
    engine, rows = _engine(), _rows()
    context = {"page": rows, "tab": "ikke-sendt", "here": "/paminnelser/"}
    new = engine.get_template("new.html").render(Context(context))
    assert new == engine.get_template("old.html").render(Context(context))
    assert "csrfmiddlewaretoken" not in new
