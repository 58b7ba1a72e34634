//! Mistake: only the server checks the client; the client never checks the
//! server. Each side does only its first half of the handshake, so a peer
//! that skips its second half is accepted.

use std::os::unix::net::UnixStream;

use crate::ex4_framing::{decode, read_frame, write_frame};
use crate::given::{
    CHALLENGE, FAILURE, HANDSHAKE_MAX, MAX_FRAME, WELCOME, answer, encode, is_right_answer,
    random_challenge,
};
pub use crate::given::{FrameError, Message};

#[derive(Debug)]
pub struct Connection {
    pub stream: UnixStream,
}

// ANCHOR: solution
impl Connection {
    pub fn pair() -> std::io::Result<(Connection, Connection)> {
        let (a, b) = UnixStream::pair()?;
        Ok((Connection { stream: a }, Connection { stream: b }))
    }

    pub fn send(&mut self, msg: &Message) -> Result<(), FrameError> {
        write_frame(&mut self.stream, &encode(msg))
    }

    pub fn recv(&mut self) -> Result<Option<Message>, FrameError> {
        match read_frame(&mut self.stream, MAX_FRAME)? {
            Some(payload) => decode(&payload).map(Some),
            None => Ok(None),
        }
    }

    /// Reads one handshake frame; the peer closing counts as a failure.
    fn handshake_frame(&mut self) -> Result<Vec<u8>, FrameError> {
        read_frame(&mut self.stream, HANDSHAKE_MAX)?.ok_or_else(|| {
            FrameError::AuthenticationFailed("the peer closed the connection".into())
        })
    }

    pub fn deliver_challenge(&mut self, key: &[u8]) -> Result<(), FrameError> {
        let nonce = random_challenge()?;
        let mut challenge = CHALLENGE.to_vec();
        challenge.extend_from_slice(&nonce);
        write_frame(&mut self.stream, &challenge)?;
        let response = self.handshake_frame()?;
        if is_right_answer(key, &nonce, &response) {
            write_frame(&mut self.stream, WELCOME)
        } else {
            // Tell the peer, so it fails too instead of waiting.
            let _ = write_frame(&mut self.stream, FAILURE);
            Err(FrameError::AuthenticationFailed(
                "the peer's answer to our challenge is wrong: it does not know the key".into(),
            ))
        }
    }

    pub fn answer_challenge(&mut self, key: &[u8]) -> Result<(), FrameError> {
        let challenge = self.handshake_frame()?;
        let Some(nonce) = challenge.strip_prefix(CHALLENGE) else {
            return Err(FrameError::AuthenticationFailed(
                "the peer did not send a challenge".into(),
            ));
        };
        write_frame(&mut self.stream, &answer(key, nonce))?;
        let verdict = self.handshake_frame()?;
        if verdict == WELCOME {
            Ok(())
        } else {
            Err(FrameError::AuthenticationFailed(
                "the peer refused our answer: our keys differ".into(),
            ))
        }
    }
}

pub fn accept(stream: UnixStream, key: &[u8]) -> Result<Connection, FrameError> {
    let mut conn = Connection { stream };
    // MISTAKE: the server never answers the client's challenge.
    conn.deliver_challenge(key)?;
    Ok(conn)
}

pub fn connect(stream: UnixStream, key: &[u8]) -> Result<Connection, FrameError> {
    let mut conn = Connection { stream };
    // MISTAKE: the client never challenges the server.
    conn.answer_challenge(key)?;
    Ok(conn)
}
// ANCHOR_END: solution
