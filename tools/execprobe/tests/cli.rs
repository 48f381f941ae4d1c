//! Runs the built execprobe as a fresh process, the way a guest would, and checks
//! what it reports about its own exec against what the test set up.

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

use serde_json::Value;

const EXE: &str = env!("CARGO_BIN_EXE_execprobe");

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("execprobe runs")
}

/// Runs `cmd`, which must succeed, and parses its JSON.
fn json(cmd: &mut Command) -> Value {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn u64_at(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no integer at {pointer}"))
}

fn aux_string(report: &Value, name: &str) -> String {
    let entries = report["auxv"]["stack"].as_array().expect("auxv.stack");
    let entry = entries
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"));
    entry["string"].as_str().expect("string").to_owned()
}

/// Every check of the sections present holds.
fn assert_checks_hold(report: &Value) {
    let checks: Vec<&Value> = ["auxv", "stack"]
        .iter()
        .filter_map(|section| report.get(section)?["checks"].as_array())
        .flatten()
        .collect();
    assert!(!checks.is_empty());
    for check in checks {
        assert_eq!(check["ok"], true, "{check}");
    }
}

#[test]
fn json_auxv_from_the_stack_equals_proc() {
    let report = json(Command::new(EXE).arg("--json"));
    assert_eq!(report["schema"], "execprobe/v0");
    let stack = report["auxv"]["stack"].as_array().expect("auxv.stack");
    assert!(stack.len() > 10);
    assert_eq!(report["auxv"]["stack"], report["auxv"]["proc"]);
    let last = stack.last().expect("entries");
    assert_eq!(
        (&last["tag"], &last["name"]),
        (&0.into(), &"AT_NULL".into())
    );
    assert_eq!(aux_string(&report, "AT_EXECFN"), EXE);
    assert_eq!(aux_string(&report, "AT_PLATFORM"), "x86_64");
    assert_checks_hold(&report);
}

#[test]
fn json_stack_is_laid_out_like_create_elf_tables() {
    let report = json(
        Command::new(EXE)
            .args(["--json", "stack", "--", "one"])
            .env("EXECPROBE_TEST", "1"),
    );
    assert!(report.get("auxv").is_none() && report.get("maps").is_none());
    let stack = &report["stack"];
    assert_eq!(stack["argc"], 5, "execprobe --json stack -- one");
    assert_eq!(stack["argv"][4]["string"], "one");
    assert!(stack["envp"]
        .as_array()
        .expect("envp")
        .iter()
        .any(|p| p["string"] == "EXECPROBE_TEST=1"));

    let at = |name: &str| u64_at(stack, &format!("/addresses/{name}"));
    let expected_order = [
        "argc",
        "argv",
        "envp",
        "auxv",
        "random",
        "platform",
        "argv_strings",
        "env_strings",
        "execfn",
        "top",
    ];
    for pair in expected_order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} below {}", pair[0], pair[1]);
    }
    assert_eq!(at("argc"), u64_at(stack, "/initial_sp"));
    assert_eq!(at("argv"), at("argc") + 8);
    assert_eq!(at("envp"), at("argv") + 8 * 6, "5 pointers and NULL");
    assert_eq!(at("top"), u64_at(stack, "/vma/end"));
    assert_eq!(u64_at(stack, "/kernel_record/start_stack"), at("argc"));

    let regions = stack["regions"].as_array().expect("regions");
    let addrs: Vec<u64> = regions
        .iter()
        .map(|r| r["addr"].as_u64().expect("addr"))
        .collect();
    assert!(
        addrs.windows(2).all(|w| w[0] > w[1]),
        "highest first: {addrs:x?}"
    );
    assert_eq!(addrs.first(), Some(&at("top")));
    assert_eq!(addrs.last(), Some(&at("argc")));
    assert_checks_hold(&report);
}

#[test]
fn json_maps_list_the_stack_holding_argc() {
    let report = json(Command::new(EXE).args(["--json", "maps", "stack"]));
    let sp = u64_at(&report, "/stack/initial_sp");
    let special = report["maps"]["special"].as_array().expect("special");
    let stack = special
        .iter()
        .find(|m| m["name"] == "[stack]")
        .expect("[stack] is among the maps");
    assert!(u64_at(stack, "/start") <= sp && sp < u64_at(stack, "/end"));
    assert_eq!(stack["perms"], "rw-p");
    assert!(stack["explanation"]
        .as_str()
        .expect("explanation")
        .contains("__bprm_mm_init"));
    for absent in report["maps"]["absent"].as_array().expect("absent") {
        assert!(special.iter().all(|m| m["name"] != absent["name"]));
    }
}

#[test]
fn argv0_and_environment_are_what_the_parent_passed() {
    let report = json(
        Command::new(EXE)
            .arg0("not-the-path")
            .arg("--json")
            .env_clear(),
    );
    let stack = &report["stack"];
    assert_eq!(stack["argv"][0]["string"], "not-the-path");
    assert_eq!(stack["envp"], Value::Array(vec![]));
    assert!(stack["addresses"].get("env_strings").is_none());
    // AT_EXECFN is the path given to execve, whatever argv[0] says.
    assert_eq!(aux_string(&report, "AT_EXECFN"), EXE);
    assert_checks_hold(&report);
}

#[test]
fn text_output_has_the_three_sections() {
    let out = run(&mut Command::new(EXE));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for needle in [
        "auxv:",
        "maps:",
        "stack:",
        "AT_EXECFN",
        "[stack]",
        "argc = 1",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    assert!(!text.contains("FAIL"), "{text}");
}

#[test]
fn bad_arguments_fail_with_status_1() {
    let out = run(Command::new(EXE).arg("--bogus"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("execprobe: unknown argument \"--bogus\""),
        "{err}"
    );

    let help = run(Command::new(EXE).arg("--help"));
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: execprobe"));
}
