//! Two API servers on one database, as behind a load balancer: a feed on either carries
//! every event, whichever server handled the command.

use domain::Role;
use reqwest::header::HeaderMap;

use super::open_at;
use crate::helpers::{photosynthesis, spawn_app};

#[tokio::test]
async fn feeds_on_two_servers_each_deliver_every_event_whichever_server_took_the_command() {
    let app = spawn_app().await;
    let one = app.replica().await;
    let two = app.replica().await;
    let auditor = app.user(Role::Auditor);
    let start = app.head().await;
    let mut on_one = open_at(&one.address, "/v1/live/log", &auditor, HeaderMap::new()).await;
    let mut on_two = open_at(&two.address, "/v1/live/log", &auditor, HeaderMap::new()).await;

    let teacher = app.user(Role::Teacher);
    let client = reqwest::Client::new();
    for i in 0..20 {
        let server = if i % 2 == 0 {
            &one.address
        } else {
            &two.address
        };
        let response = client
            .post(format!("{server}/v1/lessons"))
            .bearer_auth(&teacher.token)
            .json(&photosynthesis())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let head = app.head().await;
    assert_eq!(head - start, 20);
    for feed in [&mut on_one, &mut on_two] {
        let positions: Vec<i64> = feed.take(20).await.iter().map(|m| m.position()).collect();
        assert_eq!(positions, (start + 1..=head).collect::<Vec<_>>());
    }
}
