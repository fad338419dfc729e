//! The sign-in record: every attempt becomes its event, the tally follows, the stored
//! form holds no secret, and the streams are where the module says.

use domain::testing::{given, given_no_events};
use domain::{
    DecodeError, DomainEvent, RefreshRefusal, SignInCommand, SignInEvent, SignInFailure,
    SignInRecord, UserId, Username,
};
use serde_json::json;
use uuid::Uuid;

fn ada() -> UserId {
    UserId::new(Uuid::from_u128(0x0190_c8a2_7f3e_7b1a_9c4d_2e5f_6a7b_8c9d))
}

fn failed(reason: SignInFailure) -> SignInEvent {
    SignInEvent::SignInFailed {
        username: Some(Username::parse("ada").unwrap()),
        user_id: Some(ada()),
        reason,
    }
}

#[test]
fn a_sign_in_is_recorded_and_ends_a_run_of_failures() {
    let record = given::<SignInRecord>(vec![
        failed(SignInFailure::WrongPassword),
        failed(SignInFailure::WrongPassword),
    ])
    .when(SignInCommand::RecordSignIn { user_id: ada() })
    .then_expect_events(vec![SignInEvent::SignedIn { user_id: ada() }]);
    assert_eq!(
        record,
        SignInRecord {
            sign_ins: 1,
            failed_sign_ins: 2,
            failures_in_a_row: 0,
            refused_refreshes: 0,
        }
    );
}

#[test]
fn a_failed_sign_in_is_recorded_with_the_name_tried_and_why() {
    let record = given_no_events::<SignInRecord>()
        .when(SignInCommand::RecordFailedSignIn {
            username: None,
            user_id: None,
            reason: SignInFailure::UnknownUser,
        })
        .then_expect_events(vec![SignInEvent::SignInFailed {
            username: None,
            user_id: None,
            reason: SignInFailure::UnknownUser,
        }]);
    assert_eq!(record.failures_in_a_row, 1);
}

#[test]
fn a_refused_refresh_is_recorded_with_its_subject_when_known() {
    for user_id in [Some(ada()), None] {
        let record = given::<SignInRecord>(vec![SignInEvent::SignedIn { user_id: ada() }])
            .when(SignInCommand::RecordRefusedRefresh {
                user_id,
                reason: RefreshRefusal::Expired,
            })
            .then_expect_events(vec![SignInEvent::TokenRefreshRefused {
                user_id,
                reason: RefreshRefusal::Expired,
            }]);
        assert_eq!((record.sign_ins, record.refused_refreshes), (1, 1));
    }
}

#[test]
fn the_payloads_are_the_plain_fields_in_snake_case() {
    assert_eq!(
        failed(SignInFailure::Deactivated).to_payload(),
        json!({
            "username": "ada",
            "user_id": "0190c8a2-7f3e-7b1a-9c4d-2e5f6a7b8c9d",
            "reason": "deactivated",
        })
    );
    assert_eq!(
        SignInEvent::TokenRefreshRefused {
            user_id: None,
            reason: RefreshRefusal::NotARefreshToken,
        }
        .to_payload(),
        json!({ "user_id": null, "reason": "not_a_refresh_token" })
    );
    let names: Vec<&str> = [
        SignInEvent::SignedIn { user_id: ada() },
        failed(SignInFailure::UnknownUser),
        SignInEvent::TokenRefreshRefused {
            user_id: None,
            reason: RefreshRefusal::InvalidToken,
        },
    ]
    .iter()
    .map(DomainEvent::event_type)
    .collect();
    assert_eq!(names, SignInEvent::EVENT_TYPES);
}

#[test]
fn an_unknown_reason_or_a_future_version_does_not_decode() {
    let bad = json!({ "username": null, "user_id": null, "reason": "too_slow" });
    assert!(matches!(
        SignInEvent::from_stored("SignInFailed", 1, &bad),
        Err(DecodeError::Malformed { .. })
    ));
    assert!(matches!(
        SignInEvent::from_stored("SignedIn", 2, &json!({ "user_id": ada() })),
        Err(DecodeError::UnsupportedVersion {
            version: 2,
            current: 1,
            ..
        })
    ));
}

#[test]
fn an_accounts_attempts_share_its_uuid_and_an_unknown_names_are_a_fixed_uuid_v5() {
    assert_eq!(SignInRecord::stream_of_account(ada()), ada().as_uuid());
    let nobody = Username::parse("nobody").unwrap();
    let stream = SignInRecord::stream_of_unknown_username(&nobody);
    assert_eq!(stream.get_version_num(), 5);
    assert_eq!(
        stream,
        Uuid::new_v5(&SignInRecord::NAMESPACE, b"nobody"),
        "the same name always lands on the same stream"
    );
    assert_ne!(
        stream,
        SignInRecord::stream_of_unknown_username(&Username::parse("nobody2").unwrap())
    );
}
