"""Korean and English texts for play records: faults of the records database, rehearsals, reports."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "rec_db_corrupt": (
        "송출 기록 데이터베이스가 손상되어 {kept}(으)로 옮겨 두고 새 {path}을(를) 만들었습니다"
        " — 옮긴 파일은 지우지 말고 보관하세요 ({error})",
        "the play records database was damaged: it is kept aside as {kept} and a new {path} was made"
        " — keep that file ({error})",
    ),
    "rec_db_set_aside_failed": (
        "손상된 송출 기록 데이터베이스 {path}을(를) 옮길 수 없습니다 ({error}) — 기록은 메모리에 보관하고 다시 시도합니다",
        "cannot move the damaged play records database {path} aside ({error}) — records wait in memory; retrying",
    ),
    "rec_write_failed": (
        "송출 기록을 {path}에 쓸 수 없습니다 ({error}) — 기록 {count}건을 메모리에 보관하고 다시 시도합니다"
        " (최대 {limit}건, 넘으면 가장 오래된 것부터 버림)",
        "cannot write play records to {path} ({error}) — keeping {count} in memory and retrying"
        " (at most {limit}; past that the oldest are dropped)",
    ),
    "rec_write_recovered": (
        "송출 기록을 다시 씁니다: 밀려 있던 기록 {count}건을 {path}에 썼습니다",
        "play records are written again: {count} waiting record(s) written to {path}",
    ),
    "rec_dropped": (
        "송출 기록 대기열이 가득 찼습니다 ({limit}건): 가장 오래된 기록을 버렸습니다 (지금까지 {dropped}건)",
        "the play records queue is full ({limit}): the oldest record was dropped ({dropped} so far)",
    ),
    "rec_spilled": (
        "종료하면서 송출 기록 {count}건을 {path}에 쓰지 못해 ({error}) {file}에 보관했습니다"
        " — 다음에 시작할 때 데이터베이스에 넣습니다",
        "on exit, {count} play record(s) could not be written to {path} ({error}); kept in {file}"
        " — the next start puts them in the database",
    ),
    "rec_spill_restored": (
        "지난번 종료 때 보관한 송출 기록 {count}건을 데이터베이스에 넣었습니다 ({files})",
        "{count} play record(s) kept at the last exit are now in the database ({files})",
    ),
    "rec_spill_bad_line": (
        "보관된 송출 기록 {file}의 {line}번째 줄을 읽을 수 없어 건너뜁니다 ({error})",
        "skipping line {line} of the kept play records {file}: it cannot be read ({error})",
    ),
    "rec_lost_at_exit": (
        "종료하면서 송출 기록 {count}건을 {path}에 쓰지 못해 잃었습니다 ({error})",
        "on exit, {count} play record(s) could not be written to {path} and are lost ({error})",
    ),
    "rec_closed_open": (
        "지난번 플레이어가 중단되어 열려 있던 송출 기록 {count}건을 중단(cut)으로 닫았습니다 (마지막으로 기록된 시각까지)",
        "the last player stopped without closing {count} play record(s): closed as cut at their last known time",
    ),
    "rec_rehearsal": (
        "리허설: 송출 기록은 {path}에 따로 씁니다 (실제 송출 기록과 보고서에는 들어가지 않습니다)",
        "rehearsal: play records go to {path} (never into the real proof of play or its reports)",
    ),
    "report_until": (
        "{until}까지의 기록만 셉니다 (그 뒤는 아직 송출되지 않았습니다)",
        "counted up to {until} (later plays have not aired yet)",
    ),
}
