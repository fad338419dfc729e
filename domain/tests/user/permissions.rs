use domain::{Permission, Role};

use Permission::*;

#[test]
fn admins_may_do_everything() {
    assert_eq!(Role::Admin.permissions(), Permission::ALL);
    for permission in Permission::ALL {
        assert!(Role::Admin.can(permission), "{permission}");
    }
}

#[test]
fn students_may_read_and_update_their_profile_and_read_and_record_their_progress() {
    assert_eq!(
        Role::Student.permissions(),
        [
            ReadOwnProfile,
            UpdateOwnProfile,
            ReadOwnProgress,
            RecordOwnProgress
        ]
    );
}

#[test]
fn parents_may_read_and_update_their_profile_and_read_their_linked_children() {
    assert_eq!(
        Role::Parent.permissions(),
        [ReadOwnProfile, UpdateOwnProfile, ReadLinkedChildren]
    );
}

#[test]
fn teachers_read_students_manage_classes_create_content_and_request_generated_content() {
    assert_eq!(
        Role::Teacher.permissions(),
        [
            ReadOwnProfile,
            UpdateOwnProfile,
            ReadStudents,
            ManageClasses,
            CreateContent,
            RequestContent
        ]
    );
}

#[test]
fn only_students_and_admins_record_progress() {
    let holders: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|role| role.can(RecordOwnProgress))
        .collect();
    assert_eq!(holders, [Role::Student, Role::Admin]);
}

#[test]
fn only_teachers_and_admins_manage_classes_and_request_content() {
    for permission in [ManageClasses, RequestContent] {
        let holders: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|role| role.can(permission))
            .collect();
        assert_eq!(holders, [Role::Teacher, Role::Admin], "{permission}");
    }
}

#[test]
fn every_role_lists_its_permissions_in_the_order_of_all() {
    for role in Role::ALL {
        let ordered: Vec<Permission> = Permission::ALL
            .into_iter()
            .filter(|permission| role.can(*permission))
            .collect();
        assert_eq!(role.permissions(), ordered, "{role}");
    }
}

#[test]
fn teachers_may_not_review_content_not_even_their_own() {
    assert!(!Role::Teacher.can(ReviewContent));
    assert!(!Role::Teacher.can(ManageUsers));
}

#[test]
fn the_service_roles_hold_their_own_permissions_only() {
    assert!(Role::Auditor.can(ReadStreams) && Role::Auditor.can(ReadLog));
    assert!(Role::Analyst.can(ReadReadModels));
    assert!(Role::Agent.can(SubmitAgentResults));
    assert!(!Role::Agent.can(UpdateOwnProfile));
    for role in [Role::Auditor, Role::Analyst, Role::Agent] {
        for permission in [
            CreateContent,
            RequestContent,
            RecordOwnProgress,
            ReadLinkedChildren,
            ReviewContent,
            ManageUsers,
            ManageClasses,
            AdminSystem,
        ] {
            assert!(!role.can(permission), "{role} must not {permission}");
        }
    }
    assert!(!Role::Analyst.can(ReadLog));
    assert!(!Role::Auditor.can(ReadReadModels));
}

#[test]
fn only_admins_review_content_or_manage_users_or_the_system() {
    for permission in [ReviewContent, ManageUsers, AdminSystem] {
        let holders: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|role| role.can(permission))
            .collect();
        assert_eq!(holders, [Role::Admin], "{permission}");
    }
}

#[test]
fn every_role_may_read_its_own_profile() {
    for role in Role::ALL {
        assert!(role.can(ReadOwnProfile), "{role}");
    }
}

#[test]
fn permissions_have_stable_names_that_parse_back() {
    for permission in Permission::ALL {
        assert_eq!(Permission::parse(permission.as_str()), Ok(permission));
        assert_eq!(
            serde_json::to_value(permission).unwrap(),
            permission.as_str()
        );
    }
    assert_eq!(ReadOwnProfile.as_str(), "read:own_profile");
    assert_eq!(ReviewContent.to_string(), "review:content");
    assert_eq!(RecordOwnProgress.as_str(), "record:own_progress");
    assert_eq!(ReadOwnProgress.as_str(), "read:own_progress");
    assert_eq!(ReadLinkedChildren.as_str(), "read:linked_children");
    assert_eq!(RequestContent.as_str(), "request:content");
    assert!(Permission::parse("root:everything").is_err());
}
