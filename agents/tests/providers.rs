//! The HTTP model providers and the resilience around them, against real HTTP: fake
//! OpenAI and Anthropic servers (wiremock) on 127.0.0.1. Each test starts its own servers;
//! delays are kept short (timeouts of a few hundred milliseconds, backoff from 10 ms).

mod providers {
    pub mod anthropic;
    pub mod openai;
    pub mod resilience;
    pub mod support;
}
