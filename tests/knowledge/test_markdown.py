from goaldesk.knowledge.markdown import render


def test_script_tags_are_shown_as_text_never_run():
    html = render("Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_and_data_links_are_removed_safe_ones_kept():
    html = render(
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html,x) [d](https://example.org)"
    )
    assert 'href="javascript' not in html.lower() and 'href="data' not in html
    assert html.count("<a ") == 1
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">d</a>' in html


def test_the_safe_subset_renders():
    html = render("# Title\n\n**bold** and *it*\n\n- one\n- two")
    assert "<h2>Title</h2>" in html  # the page's title is the h1
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<li>one</li>" in html


def test_the_sanitiser_removes_a_javascript_link_even_if_the_markdown_let_one_through(monkeypatch):
    from goaldesk.knowledge import markdown

    monkeypatch.setattr(
        markdown._MD, "render", lambda _src: '<a href="javascript:alert(1)">x</a><script>1</script>'
    )
    html = markdown.render("x")
    assert "javascript" not in html and "<script" not in html
