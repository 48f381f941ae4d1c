//! Runs the built execprobe as a fresh process, the way a guest would, and checks
//! what it reports about its own exec (or another process's) against what the test
//! set up and against independent sources: the test's own clock, /proc of the
//! test process, readelf-free facts of the kernel ABI.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

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
        "{:?}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn u64_at(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no integer at {pointer} in {v}"))
}

fn array<'a>(v: &'a Value, pointer: &str) -> &'a Vec<Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no array at {pointer}"))
}

fn aux_string(report: &Value, name: &str) -> String {
    let entry = array(report, "/auxv/stack")
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"));
    entry["string"].as_str().expect("string").to_owned()
}

/// Every check of the sections present holds.
fn assert_checks_hold(report: &Value) {
    let checks: Vec<&Value> = ["auxv", "maps", "stack", "vdso"]
        .iter()
        .filter_map(|section| report.get(section)?["checks"].as_array())
        .flatten()
        .collect();
    assert!(!checks.is_empty());
    for check in checks {
        assert_eq!(check["ok"], true, "{check}");
    }
}

/// A fresh file name in the target directory's temporary folder.
fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{}-{name}", std::process::id()))
}

/// The vsyscall mode of this host, from the test process's own maps: every
/// process of the system has the same.
fn host_vsyscall_mode() -> &'static str {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
    match maps.lines().find(|l| l.ends_with("[vsyscall]")) {
        None => "none",
        Some(l) if l.contains(" --xp ") => "xonly",
        Some(l) if l.contains(" r-xp ") => "emulate",
        Some(l) => panic!("odd vsyscall line {l}"),
    }
}

#[test]
fn json_auxv_from_the_stack_equals_proc() {
    let report = json(Command::new(EXE).arg("--json"));
    assert_eq!(report["schema"], "execprobe/v1");
    let stack = array(&report, "/auxv/stack");
    assert!(stack.len() > 10);
    assert_eq!(report["auxv"]["stack"], report["auxv"]["proc"]);
    let last = stack.last().expect("entries");
    assert_eq!(
        (&last["tag"], &last["name"]),
        (&0.into(), &"AT_NULL".into())
    );
    assert_eq!(aux_string(&report, "AT_EXECFN"), EXE);
    let platform = if cfg!(target_arch = "x86_64") {
        "x86_64"
    } else {
        "aarch64"
    };
    assert_eq!(aux_string(&report, "AT_PLATFORM"), platform);
    // The three v0 sections are all there by default; vdso is not.
    assert!(report.get("maps").is_some() && report.get("stack").is_some());
    assert!(report.get("vdso").is_none());
    assert_checks_hold(&report);
}

/// The auxv pairs as `stack` lays them out, word by word, are /proc/self/auxv, and
/// the AT_RANDOM bytes on the stack are the ones `auxv` decodes.
#[test]
fn stack_regions_hold_the_auxv_of_proc() {
    let report = json(Command::new(EXE).args(["--json", "stack", "auxv"]));
    let proc = array(&report, "/auxv/proc");
    let regions = array(&report, "/stack/regions");
    let mut pairs: Vec<&Value> = regions
        .iter()
        .filter(|r| r["what"].as_str().is_some_and(|w| w.starts_with("auxv[")))
        .collect();
    pairs.sort_by_key(|r| r["addr"].as_u64());
    assert_eq!(pairs.len(), proc.len());
    let base = u64_at(&report, "/stack/addresses/auxv");
    for (i, (region, entry)) in pairs.iter().zip(proc).enumerate() {
        let name = entry["name"]
            .as_str()
            .map_or_else(|| entry["tag"].to_string(), str::to_owned);
        assert_eq!(region["what"], format!("auxv[{i}] {name}"));
        assert_eq!(region["value"], entry["value"], "{name}");
        assert_eq!(u64_at(region, "/addr"), base + 16 * i as u64);
        assert_eq!(u64_at(region, "/size"), 16);
    }
    let random = proc
        .iter()
        .find(|e| e["name"] == "AT_RANDOM")
        .expect("AT_RANDOM");
    let bytes = regions
        .iter()
        .find(|r| r["what"] == "AT_RANDOM bytes")
        .expect("AT_RANDOM bytes region");
    assert_eq!(bytes["addr"], random["value"]);
    assert_eq!(bytes["detail"], random["random"]);
    assert_eq!(random["random"].as_str().map(str::len), Some(32));
    assert_checks_hold(&report);
}

#[test]
fn auxv_agrees_with_getauxval_and_decodes_hwcap() {
    let out = run(Command::new(EXE).arg("auxv"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("[ok  ] auxv_getauxval: "), "{text}");

    let report = json(Command::new(EXE).args(["--json", "auxv"]));
    let stack = array(&report, "/auxv/stack");
    let value = |name: &str| {
        stack
            .iter()
            .find(|e| e["name"] == name)
            .and_then(|e| e["value"].as_u64())
    };
    for g in array(&report, "/auxv/getauxval") {
        // glibc's x86 getauxval(AT_HWCAP) is its own HWCAP_X86_* word.
        if g["name"] != "AT_HWCAP" {
            assert_eq!(
                g["value"].as_u64(),
                value(g["name"].as_str().unwrap_or("")),
                "{g}"
            );
        }
    }
    assert_eq!(value("AT_PAGESZ"), Some(4096));
    let hwcap = stack
        .iter()
        .find(|e| e["name"] == "AT_HWCAP")
        .expect("AT_HWCAP");
    let flags: Vec<&str> = array(hwcap, "/flags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let bits = u64_at(hwcap, "/value");
    assert_eq!(flags.len() as u32, bits.count_ones());
    // Every x86-64 CPU has FPU, TSC, CX8, CMOV, MMX, FXSR, SSE and SSE2 (bits 0, 4,
    // 8, 15, 23, 24, 25, 26 of CPUID.1:EDX): the baseline of the psABI; every
    // arm64 one FP and ASIMD (HWCAP_FP, HWCAP_ASIMD), which Linux requires.
    let baseline: &[(&str, u32)] = if cfg!(target_arch = "x86_64") {
        &[
            ("fpu", 0),
            ("tsc", 4),
            ("cx8", 8),
            ("cmov", 15),
            ("sse2", 26),
        ]
    } else {
        &[("fp", 0), ("asimd", 1)]
    };
    for &(flag, bit) in baseline {
        assert!(
            flags.contains(&flag) && bits & (1 << bit) != 0,
            "{flag}: {flags:?}"
        );
    }
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
    assert!(array(stack, "/envp")
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

    // The regions tile the stack from the top down to argc, highest first.
    let regions = array(stack, "/regions");
    for w in regions.windows(2) {
        assert_eq!(
            u64_at(&w[1], "/addr") + u64_at(&w[1], "/size"),
            u64_at(&w[0], "/addr"),
            "{} below {}",
            w[1],
            w[0]
        );
    }
    assert_eq!(regions.first().map(|r| u64_at(r, "/addr")), Some(at("top")));
    assert_eq!(regions.last().map(|r| u64_at(r, "/addr")), Some(at("argc")));
    let one = regions
        .iter()
        .find(|r| r["what"] == "argv[4] string")
        .expect("argv[4] string");
    assert_eq!(
        (&one["detail"], &one["size"]),
        (&"\"one\"".into(), &4.into())
    );
    assert_checks_hold(&report);
}

#[test]
fn json_maps_list_the_stack_holding_argc() {
    let report = json(Command::new(EXE).args(["--json", "maps", "stack"]));
    let sp = u64_at(&report, "/stack/initial_sp");
    let special = array(&report, "/maps/special");
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
    for absent in array(&report, "/maps/absent") {
        assert!(special.iter().all(|m| m["name"] != absent["name"]));
    }
    // Every special mapping is also in the full list, at the same place.
    let all = array(&report, "/maps/mappings");
    for m in special {
        assert!(all
            .iter()
            .any(|a| a["name"] == m["name"] && a["start"] == m["start"] && a["end"] == m["end"]));
    }
    assert_checks_hold(&report);
}

#[test]
fn maps_of_self_traces_the_text_to_an_executable_pt_load() {
    let report = json(Command::new(EXE).args(["--json", "maps"]));
    let maps = &report["maps"];
    assert!(maps.get("pid").is_none());
    let exe = &maps["executable"];
    let path = std::fs::canonicalize(EXE).expect("the binary");
    assert_eq!(exe["path"], path.to_string_lossy().as_ref());
    let text = array(maps, "/mappings")
        .iter()
        .find(|m| m["name"] == exe["path"] && m["perms"] == "r-xp")
        .expect("the text mapping of execprobe");
    assert_eq!(text["origin"]["object"], "executable");
    assert_eq!(text["origin"]["part"], "file");
    let segment = array(exe, "/segments")
        .iter()
        .find(|s| s["index"] == text["origin"]["segment"])
        .expect("its PT_LOAD");
    assert!(
        segment["flags"].as_str().is_some_and(|f| f.ends_with('x')),
        "{segment}"
    );
    // The mapping starts where the PT_LOAD's page lands at the load bias.
    let bias = u64_at(exe, "/load_bias");
    let page = |a: u64| a & !0xfff;
    assert_eq!(
        u64_at(text, "/start"),
        bias + page(u64_at(segment, "/vaddr"))
    );
    assert_eq!(maps["vsyscall"]["mode"], host_vsyscall_mode());
    assert_checks_hold(&report);
}

/// Waits until `pid`, a `sleep`, is asleep: only then are exec and the dynamic
/// linker done with its address space. Its comm changes in the middle of exec
/// (begin_new_exec), and /proc/PID/syscall says "running" rather than "59" while
/// execve is on a CPU, so neither tells that exec has finished.
fn wait_until_asleep(pid: u32) {
    for _ in 0..500 {
        // 230 is clock_nanosleep, 35 nanosleep: the calls sleep(1) blocks in; 115
        // and 101 on arm64.
        let calls = if cfg!(target_arch = "x86_64") {
            ["230 ", "35 "]
        } else {
            ["115 ", "101 "]
        };
        match std::fs::read_to_string(format!("/proc/{pid}/syscall")) {
            Ok(call) if calls.iter().any(|c| call.starts_with(c)) => return,
            Ok(_) => {}
            // Where a Yama policy hides the file, wchan still names the sleep.
            Err(_) => {
                let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan"));
                if wchan.is_ok_and(|w| w.contains("nanosleep")) {
                    return;
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("pid {pid} never went to sleep");
}

#[test]
fn maps_of_another_process() {
    let mut child = Command::new("sleep").arg("5").spawn().expect("sleep runs");
    let pid = child.id();
    wait_until_asleep(pid);
    let out = run(Command::new(EXE).args(["--json", "maps", &pid.to_string()]));
    let text = run(Command::new(EXE).args(["maps", &pid.to_string()]));
    child.kill().expect("kill sleep");
    child.wait().expect("reap sleep");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let maps = &report["maps"];
    assert_eq!(maps["pid"], pid);
    let exe = &maps["executable"];
    assert!(
        exe["path"].as_str().is_some_and(|p| p.ends_with("/sleep")),
        "{exe}"
    );
    // sleep is dynamically linked: its interpreter is mapped too, at AT_BASE.
    assert!(maps.get("interpreter").is_some(), "{maps}");
    let of = |role: &str| {
        array(maps, "/mappings")
            .iter()
            .filter(|m| m["origin"]["object"] == role)
            .count()
    };
    assert!(of("executable") >= 2 && of("interpreter") >= 2);
    assert_checks_hold(&report);
    let text = String::from_utf8(text.stdout).expect("UTF-8");
    assert!(
        text.starts_with(&format!("maps: /proc/{pid}/maps, ")),
        "{text}"
    );
    assert!(text.contains("<- exe PT_LOAD["), "{text}");

    // A PID goes with maps alone; a missing process is an error.
    let mixed = run(Command::new(EXE).args(["maps", "1", "auxv"]));
    assert_eq!(mixed.status.code(), Some(1));
    let gone = run(Command::new(EXE).args(["maps", "4194305"]));
    assert_eq!(gone.status.code(), Some(1), "PID_MAX_LIMIT is 4194304");
}

#[test]
fn vdso_clock_agrees_with_the_syscall_and_this_tests_clock() {
    let since_epoch = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_nanos() as i64
    };
    let before = since_epoch();
    let report = json(Command::new(EXE).args(["--json", "vdso"]));
    let after = since_epoch();
    let vdso = &report["vdso"];
    let (function, version) = if cfg!(target_arch = "x86_64") {
        ("__vdso_clock_gettime", "LINUX_2.6")
    } else {
        ("__kernel_clock_gettime", "LINUX_2.6.39")
    };
    let sym = array(vdso, "/symbols")
        .iter()
        .find(|s| s["name"] == function)
        .unwrap_or_else(|| panic!("{function} listed"));
    assert_eq!(
        (&sym["version"], &sym["type"]),
        (&version.into(), &"func".into())
    );
    let base = u64_at(vdso, "/base");
    assert_eq!(u64_at(sym, "/address"), base + u64_at(sym, "/value"));

    let call = |clock: &str| {
        array(vdso, "/calls")
            .iter()
            .find(|c| c["function"] == function && c["argument"] == clock)
            .unwrap_or_else(|| panic!("no call for {clock}"))
            .clone()
    };
    for clock in ["CLOCK_REALTIME", "CLOCK_MONOTONIC"] {
        let c = call(clock);
        let reading = |k: &str| c[k].as_i64().unwrap_or_else(|| panic!("{k} of {c}"));
        let (b, v, a) = (
            reading("syscall_before"),
            reading("vdso"),
            reading("syscall_after"),
        );
        assert!(b <= v && v <= a, "{c}");
        assert!((v - b).abs() < 1_000_000_000, "{c}");
        assert_eq!(c["ok"], true, "{c}");
    }
    // CLOCK_REALTIME read by execprobe's vDSO call lies between this test's own
    // readings, taken before and after running it.
    let realtime = call("CLOCK_REALTIME")["vdso"].as_i64().expect("a reading");
    assert!(
        before <= realtime && realtime <= after,
        "{before} {realtime} {after}"
    );

    let vsyscall = &vdso["vsyscall"];
    assert_eq!(vsyscall["mode"], host_vsyscall_mode());
    if cfg!(target_arch = "aarch64") {
        // No vsyscall page there: nothing called, and a check says so.
        assert_eq!(array(vsyscall, "/calls").len(), 0);
        assert!(array(vdso, "/checks")
            .iter()
            .any(|c| c["name"] == "vsyscall_none" && c["ok"] == true));
        assert_checks_hold(&report);
        return;
    }
    let gettimeofday = array(vsyscall, "/calls")
        .iter()
        .find(|c| c["function"] == "vsyscall gettimeofday")
        .expect("vsyscall gettimeofday");
    let expected = if host_vsyscall_mode() == "none" {
        "SIGSEGV"
    } else {
        "returned"
    };
    assert_eq!(gettimeofday["outcome"], expected);
    assert_checks_hold(&report);
}

#[test]
fn diff_names_the_path_that_differs() {
    let a = temp("a.json");
    let b = temp("b.json");
    let report = run(Command::new(EXE).arg("--json"));
    assert!(report.status.success());
    std::fs::write(&a, &report.stdout).expect("write a");

    let same = run(Command::new(EXE).arg("diff").arg(&a).arg(&a));
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&same.stdout), "no differences\n");

    let mut changed: Value = serde_json::from_slice(&report.stdout).expect("JSON");
    let index = array(&changed, "/auxv/stack")
        .iter()
        .position(|e| e["name"] == "AT_PAGESZ")
        .expect("AT_PAGESZ");
    changed["auxv"]["stack"][index]["value"] = 8192.into();
    std::fs::write(&b, serde_json::to_vec(&changed).expect("JSON")).expect("write b");
    let differ = run(Command::new(EXE).arg("diff").arg(&a).arg(&b));
    assert_eq!(differ.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&differ.stdout),
        format!("auxv.stack[{index}].value: 0x1000 != 0x2000\n")
    );
    let out = run(Command::new(EXE)
        .args(["--json", "diff"])
        .arg(&a)
        .arg(&b)
        .arg("--aslr"));
    assert_eq!(out.status.code(), Some(1));
    let as_json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(as_json["diff"]["differences"][0]["b"], 8192);
    assert_eq!(
        as_json["diff"]["differences"][0]["path"],
        format!("auxv.stack[{index}].value")
    );

    // Two runs differ where ASLR moved things, and in nothing else.
    let other = run(Command::new(EXE).arg("--json"));
    std::fs::write(&b, &other.stdout).expect("write b");
    let moved = run(Command::new(EXE).arg("diff").arg(&a).arg(&b));
    let aslr = run(Command::new(EXE).arg("diff").arg("--aslr").arg(&a).arg(&b));
    let _ = std::fs::remove_file(&a);
    let _ = std::fs::remove_file(&b);
    let randomised = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space")
        .is_ok_and(|s| s.trim() != "0");
    if randomised {
        assert_eq!(moved.status.code(), Some(1), "ASLR moved nothing?");
    }
    assert_eq!(
        (
            aslr.status.code(),
            String::from_utf8_lossy(&aslr.stdout).as_ref()
        ),
        (Some(0), "no differences\n")
    );
}

/// What the guest tests rely on: with ASLR off, two runs print the same JSON but
/// for the AT_RANDOM bytes.
#[test]
fn without_aslr_two_runs_are_identical_but_for_at_random() {
    let no_aslr = || {
        let mut cmd = Command::new(EXE);
        cmd.arg("--json");
        // SAFETY: personality(2) is async-signal-safe and only changes the
        // personality the child's exec will see (ADDR_NO_RANDOMIZE, as setarch -R).
        unsafe {
            cmd.pre_exec(|| {
                if libc::personality(libc::ADDR_NO_RANDOMIZE as libc::c_ulong) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let out = run(&mut cmd);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let report: Value = serde_json::from_str(&text).expect("JSON");
        let random = report["auxv"]["stack"]
            .as_array()
            .and_then(|s| s.iter().find(|e| e["name"] == "AT_RANDOM"))
            .and_then(|e| e["random"].as_str())
            .expect("AT_RANDOM bytes")
            .to_owned();
        assert_eq!(random.len(), 32);
        text.replace(&random, "RANDOM")
    };
    let (first, second) = (no_aslr(), no_aslr());
    assert!(first.contains("RANDOM"));
    assert_eq!(first, second);
}

#[test]
fn map_writes_well_formed_svg_naming_every_special_mapping() {
    let file = temp("map.svg");
    let out = json(
        Command::new(EXE)
            .args(["--json", "map", "--svg"])
            .arg(&file),
    );
    let svg = std::fs::read_to_string(&file).expect("the SVG file");
    let _ = std::fs::remove_file(&file);
    assert_eq!(out["map"]["bytes"], svg.len());
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let text: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let named = |name: &str| text.iter().any(|t| t.starts_with(name));
    // The special mappings every process here has, from this test's own maps...
    let own = std::fs::read_to_string("/proc/self/maps").expect("maps");
    for name in ["[stack]", "[vvar]", "[vvar_vclock]", "[vdso]", "[vsyscall]"] {
        if own.lines().any(|l| l.ends_with(name)) {
            assert!(named(name), "{name} not in the picture");
        }
    }
    // ...and all of those execprobe's own maps list.
    let report = json(Command::new(EXE).args(["--json", "maps"]));
    for m in array(&report, "/maps/special") {
        let name = m["name"].as_str().expect("name");
        assert!(named(name), "{name} not in the picture");
    }
    // One band per mapping of the process that drew it.
    let bands = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("band")))
        .count();
    assert_eq!(out["map"]["mappings"], bands);

    // Without --svg the picture goes to stdout.
    let stdout = run(Command::new(EXE).arg("map"));
    assert!(stdout.status.success());
    let svg = String::from_utf8(stdout.stdout).expect("UTF-8");
    roxmltree::Document::parse(&svg).expect("well-formed XML on stdout");
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
        "vsyscall mode: ",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    assert!(!text.contains("FAIL"), "{text}");
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
fn bad_arguments_fail_with_status_1() {
    let out = run(Command::new(EXE).arg("--bogus"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("execprobe: unknown argument \"--bogus\""),
        "{err}"
    );
    let missing = run(Command::new(EXE).args(["diff", "/nonexistent/a.json", "/nonexistent/b"]));
    assert_eq!(missing.status.code(), Some(1));

    let help = run(Command::new(EXE).arg("--help"));
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: execprobe"));
}
