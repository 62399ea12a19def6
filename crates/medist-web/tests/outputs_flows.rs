//! Publications through the UI and the API: upload, re-upload, a damaged file, a gzip-compressed file, the review
//! queue.

mod common;

use axum::http::StatusCode;
use common::TestApp;

fn excerpt(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../medist-biblio/tests/data").join(name))
        .unwrap()
}

#[tokio::test]
async fn a_coordinator_uploads_a_file_and_uploading_it_again_adds_nothing() {
    let app = TestApp::new().await;
    let s = app.session("coordinator.gist@miracle.example").await;
    // The demo's sample publications are there before any import.
    let base = app
        .api("GET", &format!("/api/v1/consortia/{}/publications", app.consortium_id), Some(&s), None)
        .await
        .json()["total"]
        .as_i64()
        .unwrap();
    let xml = excerpt("pubmed_excerpt.xml");
    let r = app.post_file("/publications/import", Some(&s), "pubmed_excerpt.xml", &xml).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("모두 저장했습니다"));
    assert!(r.body.contains("Early Predictors of De Novo and Subthreshold Late-Onset ADHD"));
    let again = app.post_file("/publications/import", Some(&s), "pubmed_excerpt.xml", &xml).await;
    assert!(again.body.contains("이미 있어 건너뜀"));
    let list = app
        .api("GET", &format!("/api/v1/consortia/{}/publications?q=ADHD", app.consortium_id), Some(&s), None)
        .await
        .json();
    assert_eq!(list["total"], 1);
    let id = list["items"][0]["id"].as_i64().unwrap();
    let one = app.api("GET", &format!("/api/v1/publications/{id}"), Some(&s), None).await.json();
    assert_eq!(one["publication"]["pmid"], "31884885");
    assert!(one["authors"].as_array().unwrap().len() > 3);

    let mut damaged = excerpt("tugboat_excerpt.bib");
    damaged.extend_from_slice(b"\n@article{broken, title = {Unbalanced {braces}, year = 2026,\n");
    let r = app.post_file("/publications/import", Some(&s), "damaged.bib", &damaged).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("아무것도 저장하지 않았습니다") && r.body.contains("damaged.bib: BibTeX line"),
        "{}",
        r.body
    );
    let total =
        app.api("GET", &format!("/api/v1/consortia/{}/publications", app.consortium_id), Some(&s), None).await.json();
    assert_eq!(total["total"].as_i64().unwrap(), base + 3, "only the PubMed records");

    let r = app.post_file("/publications/import", Some(&s), "notes.docx", b"hello").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("파일 형식을 알 수 없습니다"));
}

#[tokio::test]
async fn the_api_imports_with_a_token_and_the_office_reviews_near_duplicates() {
    let app = TestApp::new().await;
    let office = app.session("office@miracle.example").await;
    let c = app.consortium_id;
    let base =
        app.api("GET", &format!("/api/v1/consortia/{c}/publications"), Some(&office), None).await.json()["total"]
            .as_i64()
            .unwrap();
    let token = app
        .api("POST", "/api/v1/tokens", Some(&office), Some(serde_json::json!({"name": "sync", "scope": "write"})))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let body = "@article{a, author = {Kim, Tae}, title = {Deep learning for early detection of pancreatic cancer lesions}, journal = {J}, year = 2027}\n\
                @article{b, author = {Kim, Tae}, title = {Deep learning for early detection of pancreatic cancer lesion}, journal = {J}, year = 2027}\n";
    let req =
        axum::http::Request::post(format!("/api/v1/consortia/{c}/publications/import?format=bibtex&name=pair.bib"))
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
            .body(axum::body::Body::from(body))
            .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["to_review"], 1);
    let page = app.get("/publications/review", Some(&office)).await;
    assert!(page.body.contains("pancreatic cancer lesion") && page.body.contains("같은 논문 (합치기)"));
    let queue = app.api("GET", &format!("/api/v1/consortia/{c}/publications/review"), Some(&office), None).await.json();
    let id = queue[0]["candidate"]["id"].as_i64().unwrap();
    let r = app.post_form(&format!("/duplicates/{id}/keep"), Some(&office), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.api("POST", &format!("/api/v1/duplicates/{id}/merge"), Some(&office), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "already-decided");
    let list = app.api("GET", &format!("/api/v1/consortia/{c}/publications"), Some(&office), None).await.json();
    assert_eq!(list["total"].as_i64().unwrap(), base + 2, "kept as two works");
}

/// PubMed's baseline files come gzip-compressed: an upload is inflated as it is read, whatever its name, in the form
/// and in the API; a damaged compressed file is refused with its name, and nothing is written.
#[tokio::test]
async fn a_gzip_compressed_file_is_read_as_it_comes_and_a_damaged_one_is_named() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let c = app.consortium_id;
    let count = || async {
        app.api("GET", &format!("/api/v1/consortia/{c}/publications"), Some(&s), None).await.json()["total"]
            .as_i64()
            .unwrap()
    };
    let base = count().await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &excerpt("pubmed_excerpt.xml")).unwrap();
    let gz = gz.finish().unwrap();
    let r = app.post_file("/publications/import", Some(&s), "pubmed20n0014.xml.gz", &gz).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Early Predictors of De Novo and Subthreshold Late-Onset ADHD"), "{}", r.body);
    assert_eq!(count().await, base + 3);

    let token = app
        .api("POST", "/api/v1/tokens", Some(&s), Some(serde_json::json!({"name": "sync", "scope": "write"})))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |name: &str, body: Vec<u8>| {
        axum::http::Request::post(format!("/api/v1/consortia/{c}/publications/import?name={name}"))
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    // The same records again, compressed, under a name that does not say so: nothing new.
    let r = app.send(post("baseline.bin", gz.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["created"].as_i64(), r.json()["duplicates"].as_i64()), (Some(0), Some(3)), "{}", r.body);

    let mut damaged = gz[..gz.len() / 2].to_vec();
    damaged.extend_from_slice(b"not deflate any more");
    // Refused when its first bytes are read (400), or when the damage is reached while reading (422): named either way.
    let r = app.send(post("cut.xml.gz", damaged.clone())).await;
    assert!(matches!(r.status, StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY), "{}", r.body);
    assert!(r.body.contains("cut.xml.gz"), "{}", r.body);
    let r = app.post_file("/publications/import", Some(&s), "cut.xml.gz", &damaged).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert_eq!(count().await, base + 3, "nothing written from the damaged file");
}

/// A publication list kept in Excel, with a summary sheet first: read as it comes, the wrong sheet is named with the
/// sheets there are and nothing is written; with the sheet chosen (form field or API parameter), every row is in, a
/// corresponding author is marked and a grant naming a project links it.
#[tokio::test]
async fn an_xlsx_list_is_read_from_the_sheet_asked_for() {
    use medist_tabular::{CellValue, SheetData};
    let app = TestApp::new().await;
    let s = app.session("coordinator.gist@miracle.example").await;
    let c = app.consortium_id;
    let text = |v: &str| CellValue::Text(v.into());
    let summary = SheetData {
        name: "요약".into(),
        headers: vec!["구분".into(), "건수".into()],
        rows: vec![vec![text("논문"), CellValue::Integer(2)]],
    };
    let papers = SheetData {
        name: "논문 목록".into(),
        headers: ["논문명", "학술지명", "발행연도", "저자", "교신저자", "DOI", "사사"].map(String::from).to_vec(),
        rows: vec![
            vec![
                text("엑셀로 관리하던 면역항암 논문"),
                text("Journal for ImmunoTherapy of Cancer"),
                CellValue::Integer(2026),
                text("박서준; 김태"),
                text("김태"),
                text("10.5555/xlsx.test.1"),
                text("MIR-2026-01, K-MediST"),
            ],
            vec![
                text("A second paper kept in Excel"),
                text("Radiology"),
                CellValue::Decimal(2027.0),
                text("Lee, Haeun; Park, Seojun"),
                CellValue::Empty,
                text("10.5555/xlsx.test.2"),
                CellValue::Empty,
            ],
        ],
    };
    let xlsx = medist_tabular::write_xlsx(&[summary, papers]).unwrap();
    let count = || async {
        app.api("GET", &format!("/api/v1/consortia/{c}/publications"), Some(&s), None).await.json()["total"]
            .as_i64()
            .unwrap()
    };
    let base = count().await;
    let r = app.post_file("/publications/import", Some(&s), "성과목록.xlsx", &xlsx).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("XLSX row 1") && r.body.contains("`논문 목록`"), "{}", r.body);
    assert_eq!(count().await, base, "nothing written from the wrong sheet");

    let r = app.post_file_with("/publications/import", &s, &[("sheet", "논문 목록")], "성과목록.xlsx", &xlsx).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("엑셀로 관리하던 면역항암 논문"), "{}", r.body);
    assert_eq!(count().await, base + 2);
    let found = app
        .api("GET", &format!("/api/v1/consortia/{c}/publications?q=10.5555/xlsx.test.1"), Some(&s), None)
        .await
        .json();
    let id = found["items"][0]["id"].as_i64().unwrap();
    let one = app.api("GET", &format!("/api/v1/publications/{id}"), Some(&s), None).await.json();
    assert_eq!(one["publication"]["source_format"], "xlsx");
    assert_eq!(one["publication"]["year"], 2026);
    let roles: Vec<(bool, bool)> = one["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["is_first"].as_bool().unwrap(), a["is_corresponding"].as_bool().unwrap()))
        .collect();
    assert_eq!(roles, [(true, false), (false, true)]);
    assert_eq!(one["projects"][0]["code"], "MIR-2026-01", "{one}");

    // The API reads the same workbook with the sheet named; everything is there already.
    let r = app
        .api_bytes(
            &format!(
                "/api/v1/consortia/{c}/publications/import?name=list.xlsx&sheet=%EB%85%BC%EB%AC%B8%20%EB%AA%A9%EB%A1%9D"
            ),
            &s,
            &xlsx,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["read"].as_i64(), r.json()["duplicates"].as_i64()), (Some(2), Some(2)), "{}", r.body);
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/publications/import?name=list.xlsx&sheet=Papers"), &s, &xlsx)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("no sheet named 'Papers'") && r.body.contains("논문 목록"), "{}", r.body);
}

/// On a publication's page its author corrects the roles and links it to a project; someone who is not an author
/// only reads it.
#[tokio::test]
async fn an_author_corrects_roles_and_links_projects_on_the_page() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let faculty = app.session("faculty@miracle.example").await;
    let found = app
        .api(
            "GET",
            &format!("/api/v1/consortia/{c}/publications?q=10.5555/miracle.sample.2026.002"),
            Some(&faculty),
            None,
        )
        .await
        .json();
    let id = found["items"][0]["id"].as_i64().unwrap();
    let page = app.get(&format!("/publications/{id}"), Some(&faculty)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("제1저자") && page.body.contains("교신저자로 표시"), "{}", page.body);
    let view = app.api("GET", &format!("/api/v1/publications/{id}"), Some(&faculty), None).await.json();
    assert_eq!(view["can_edit"], true, "박서준 is the third author");
    let last = view["authors"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap();
    let r = app
        .post_form(&format!("/authors/{last}/roles"), Some(&faculty), &[("role", "corresponding"), ("value", "on")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let first = view["authors"][0]["id"].as_i64().unwrap();
    let r =
        app.post_form(&format!("/authors/{first}/roles"), Some(&faculty), &[("role", "first"), ("value", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the only first author keeps the role");
    assert!(r.body.contains("제1저자가 한 명은 있어야 합니다"), "{}", r.body);

    // Projects the authors work on are offered first; linking, a second link refused, unlinking.
    let page = app.get(&format!("/publications/{id}"), Some(&faculty)).await;
    assert!(page.body.contains("저자가 참여하는 과제"), "{}", page.body);
    let project = app
        .api("GET", &format!("/api/v1/consortia/{c}/projects?per_page=100"), Some(&faculty), None)
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "MIR-2026-05")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post_form(&format!("/publications/{id}/projects"), Some(&faculty), &[("project_id", &project.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_form(&format!("/publications/{id}/projects"), Some(&faculty), &[("project_id", &project.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("이미 이 연구과제에 연결된 논문입니다"));
    let view = app.api("GET", &format!("/api/v1/publications/{id}"), Some(&faculty), None).await.json();
    assert_eq!(view["projects"][0]["code"], "MIR-2026-05");
    assert_eq!(view["authors"].as_array().unwrap().last().unwrap()["is_corresponding"], true);
    // The project's page lists the paper.
    let project_page = app.get(&format!("/projects/{project}"), Some(&faculty)).await;
    assert!(project_page.body.contains(&format!("/publications/{id}")), "{}", project_page.body);
    let r = app.post_form(&format!("/publications/{id}/projects/{project}/unlink"), Some(&faculty), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // A trainee who is not an author reads the page without the forms, and is refused a change.
    let trainee = app.session("trainee@miracle.example").await;
    let page = app.get(&format!("/publications/{id}"), Some(&trainee)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("교신저자로 표시"));
    let r = app
        .api("PATCH", &format!("/api/v1/authors/{last}"), Some(&trainee), Some(serde_json::json!({"is_first": true})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/publications/{id}/projects"),
            Some(&trainee),
            Some(serde_json::json!({"project_id": project})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
