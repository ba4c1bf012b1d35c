//! TCP_NODELAY for Terraform's gRPC connection, set from outside the plugin framework.
//!
//! The framework accepts Terraform's connection on a listener it creates itself and never
//! turns Nagle's algorithm off, so small request/response round trips wait on delayed ACKs. On Linux an
//! accepted socket inherits TCP_NODELAY from its listener, and Terraform only connects after reading
//! the handshake line the provider prints on stdout. So stdout goes through a pipe: when the handshake
//! line passes, the listener it names gets TCP_NODELAY, then the line is forwarded to the real stdout.

#[cfg(target_os = "linux")]
pub fn install() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::fd::FromRawFd;

    // SAFETY: plain descriptor calls on descriptors this function owns; failures leave stdout untouched.
    unsafe {
        let mut fds = [0; 2];
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return;
        }
        let real_stdout = libc::dup(1);
        if real_stdout < 0 || libc::dup2(fds[1], 1) < 0 {
            libc::close(fds[0]);
            libc::close(fds[1]);
            return;
        }
        libc::close(fds[1]);
        let reader = BufReader::new(std::fs::File::from_raw_fd(fds[0]));
        let mut out = std::fs::File::from_raw_fd(real_stdout);
        std::thread::spawn(move || {
            for line in reader.split(b'\n').map_while(Result::ok) {
                if let Some(fd) = handshake_port(&line).and_then(find_listener) {
                    set_nodelay(fd);
                }
                let ok = out.write_all(&line).and_then(|_| out.write_all(b"\n")).and_then(|_| out.flush());
                if ok.is_err() {
                    break;
                }
            }
        });
    }
}

#[cfg(not(target_os = "linux"))]
pub fn install() {}

/// The port of a handshake line such as `1|6|tcp|127.0.0.1:43567|grpc|`.
pub fn handshake_port(line: &[u8]) -> Option<u16> {
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split('|');
    let (_core, _proto, net, addr) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if net != "tcp" {
        return None;
    }
    addr.rsplit_once(':')?.1.trim().parse().ok()
}

/// Is `fd` a TCP socket listening on `port` of this process?
#[cfg(target_os = "linux")]
fn is_listener(fd: i32, port: u16) -> bool {
    // SAFETY: getsockname/getsockopt only read properties of a descriptor of this process.
    unsafe {
        let mut addr: libc::sockaddr_in = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        if libc::getsockname(fd, &mut addr as *mut _ as *mut libc::sockaddr, &mut len) != 0
            || i32::from(addr.sin_family) != libc::AF_INET
            || u16::from_be(addr.sin_port) != port
        {
            return false;
        }
        let mut listening: libc::c_int = 0;
        let mut optlen = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        let opt = &mut listening as *mut _ as *mut libc::c_void;
        libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN, opt, &mut optlen) == 0 && listening != 0
    }
}

#[cfg(target_os = "linux")]
fn find_listener(port: u16) -> Option<i32> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    entries.flatten().filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok()).find(|fd| is_listener(*fd, port))
}

#[cfg(target_os = "linux")]
fn set_nodelay(fd: i32) {
    let one: libc::c_int = 1;
    // SAFETY: sets one option on the listening socket of this process.
    let rc = unsafe {
        let size = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        libc::setsockopt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, &one as *const _ as *const libc::c_void, size)
    };
    if rc == 0 {
        tracing::debug!(fd, "TCP_NODELAY set on the plugin listener");
    }
}

#[cfg(test)]
mod tests {
    use super::handshake_port;

    #[test]
    fn reads_the_port_of_the_handshake_line() {
        assert_eq!(handshake_port(b"1|6|tcp|127.0.0.1:43567|grpc|MIIB"), Some(43567));
        assert_eq!(handshake_port(b"1|6|unix|/tmp/plugin|grpc|"), None);
        assert_eq!(handshake_port(b"hello"), None);
    }
}
