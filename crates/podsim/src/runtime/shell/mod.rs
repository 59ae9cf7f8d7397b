//! A mini POSIX shell interpreter for container commands, resumable in virtual time.
