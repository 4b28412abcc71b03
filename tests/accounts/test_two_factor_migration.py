"""The authenticators the old setup page left unconfirmed are removed; confirmed ones and recovery codes stay."""

import pytest

from tests.migrations import migrated_to

OTP = [("otp_totp", "0003_add_timestamps"), ("otp_static", "0003_add_timestamps")]
BEFORE = [("accounts", "0005_user_session_generation"), *OTP]
AFTER = [("accounts", "0006_delete_unconfirmed_totp_devices"), *OTP]


@pytest.mark.django_db(transaction=True)
def test_leftover_unconfirmed_authenticators_are_deleted():
    with migrated_to(BEFORE) as schema:
        old = schema.apps
        User = old.get_model("accounts", "User")
        TOTPDevice = old.get_model("otp_totp", "TOTPDevice")
        StaticDevice = old.get_model("otp_static", "StaticDevice")
        StaticToken = old.get_model("otp_static", "StaticToken")
        kari = User.objects.create(email="kari@example.org")
        per = User.objects.create(email="per@example.org")
        kept = TOTPDevice.objects.create(user=kari, name="Autentiseringsapp", confirmed=True, key="a" * 40)
        TOTPDevice.objects.create(user=kari, name="Autentiseringsapp", confirmed=False, key="b" * 40)
        TOTPDevice.objects.create(user=per, name="Autentiseringsapp", confirmed=False, key="c" * 40)
        static = StaticDevice.objects.create(user=kari, name="Gjenopprettingskoder", confirmed=True)
        StaticToken.objects.create(device=static, token="abcd1234")

        new = schema.migrate(AFTER)
        NewTOTP = new.get_model("otp_totp", "TOTPDevice")
        NewToken = new.get_model("otp_static", "StaticToken")

        assert list(NewTOTP.objects.values_list("pk", flat=True)) == [kept.pk]
        assert list(NewToken.objects.values_list("token", flat=True)) == ["abcd1234"]
