// SPDX-License-Identifier: GPL-2.0

//! A Rust program: dynamically linked against glibc, with Rust's own runtime
//! start-up (stack guard, args from the initial stack) before `main`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("hello from {}, argc={}", args[0], args.len());
}
