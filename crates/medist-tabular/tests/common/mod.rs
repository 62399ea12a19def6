//! Shared fixtures: a trainee roster schema and helpers.
#![allow(dead_code)]

use medist_tabular::{EnumOption, FieldKind, FieldSpec, Schema};

/// A trainee roster with one field of every kind.
pub fn roster() -> Schema {
    Schema::new(
        "trainees",
        vec![
            FieldSpec::new("name", "성명", "Name", FieldKind::text_max(20)).aliases(["이름"]).required(),
            FieldSpec::new("student_no", "학번", "Student No.", FieldKind::text()).required(),
            FieldSpec::new("admitted_on", "입학일", "Admission date", FieldKind::Date).required(),
            FieldSpec::new("credits", "이수학점", "Credits", FieldKind::Integer { min: Some(0), max: Some(200) }),
            FieldSpec::new("gpa", "평점", "GPA", FieldKind::Decimal { min: Some(0.0), max: Some(4.5) }),
            FieldSpec::new(
                "status",
                "학적상태",
                "Status",
                FieldKind::Enum(vec![
                    EnumOption::new("enrolled", "재학", "Enrolled"),
                    EnumOption::new("on_leave", "휴학", "On leave").aliases(["휴학중"]),
                    EnumOption::new("graduated", "졸업", "Graduated"),
                ]),
            ),
            FieldSpec::new("email", "이메일", "Email", FieldKind::Email).aliases(["전자우편", "메일"]),
            FieldSpec::new("scholarship", "장학금", "Scholarship (KRW)", FieldKind::krw()),
            FieldSpec::new("md_phd", "MD-PhD 여부", "MD-PhD", FieldKind::Bool),
        ],
    )
}

pub const KO_HEADER: &str = "성명,학번,입학일,이수학점,평점,학적상태,이메일,장학금,MD-PhD 여부";
pub const EN_HEADER: &str = "Name,Student No.,Admission date,Credits,GPA,Status,Email,Scholarship (KRW),MD-PhD";

pub const ROWS: &str = "홍길동,2026001,2026-03-02,12,3.75,재학,Hong@Example.AC.KR,\"1,234,000\",Y\r\n\
김영희,2026002,2026.3.2,0,4.5,휴학중,younghee@example.ac.kr,12억 3400만,아니오\r\n";
