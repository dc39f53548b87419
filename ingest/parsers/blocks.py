"""What text and HTML pages share: page furniture, labelled fields and body blocks."""

from __future__ import annotations

import re

from ingest.parsers.base import Block

SPACES = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u200b]+")
BREADCRUMB = re.compile(
    r"^\s*(?:当前位置|您现在的位置|您的位置|你的位置|所在位置)\s*[：:]?\s*(?P<trail>.*)$"
)
CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|»|›|&gt;|→)\s*")
HOME_STEPS = {"首页", "网站首页", "主页", "正文", "正文内容"}
# Steps of a trail are short names: no digits (2019年GDP>100亿 is a sentence), no widgets.
CRUMB_STEP = re.compile(r"^[\u4e00-\u9fff·A-Za-z]{2,12}$")
CRUMB_NOISE = re.compile(r"分享|更多|下载|客户端|登录|注册|搜索")
LYNX_IMAGE = re.compile(r"^\[[^\]]*\]\s*")  # [4224.gif] where a text browser saw an image
# A labelled value stops at the next label or at wide spacing (pages put them on one line);
# several authors are names separated by single spaces (作者:董博婷 王秋韵 周晔 | 来源：…).
# Labels can also run together unspaced: 来源：网易科学人作者：责任编辑：肖春芳
_NEXT_LABEL = (
    r"(?=[\s【】|]|$|作者|撰稿|责任编辑|编辑|记者|来源|发布|时间|日期|浏览|点击|字号|字体|分享)"
)
FIELDS = {
    "source": re.compile(
        rf"(?:来源|稿源|信息来源|文章来源)\s*[：:]\s*(?P<v>[^\s【】|]+?){_NEXT_LABEL}"
    ),
    "author": re.compile(
        r"(?:作者|撰稿|撰稿人)\s*[：:︱｜]\s*"
        rf"(?P<v>(?!责任编辑|编辑|来源)[^\s【】|：:]+?{_NEXT_LABEL}"
        r"(?:[ 、](?![^\s]*[：:])[\u4e00-\u9fff·]{2,4}(?=[\s|]|$))*)"
    ),
}
# The reporter in a dateline: 人民网合肥11月8日电 （记者钱伟）…, or a closing (记者张淼淼).
REPORTER = re.compile(
    r"[（(]\s*记者\s*(?P<v>[\u4e00-\u9fff]{2,4}(?:[ 、，][\u4e00-\u9fff]{2,4})*)\s*[）)]"
)
# A byline on a line of its own, as some pages end an article: 作者︱春春
BYLINE = re.compile(
    r"^(?:作者|文)\s*[︱｜|:：/]\s*(?P<v>[\u4e00-\u9fff·]{2,8}(?:[ 、][\u4e00-\u9fff·]{2,4})*)"
    r"(?:\s+返回\S*首页)?$"  # 作者︱春春 返回光明网首页: the link beside it
)
EDITOR = re.compile(
    r"^[【\[（(]?\s*(?:责任编辑|责编|编辑)\s*[：:]\s*(?P<v>[^】\]）)]+?)\s*[】\]）)]?$"
)
PREV_NEXT = re.compile(r"^(?P<which>上一篇|下一篇)\s*[：:]\s*(?P<v>.*)$")
SPEAKER_TURN = re.compile(r"^(?P<who>记者|主持人|[\u4e00-\u9fff]{2,4})\s*[：:](?P<v>.+)$")
CHROME = re.compile(
    r"^(?:首页|网站首页|政务公开|政务服务|互动交流|走进新区|打印本页|打印|关闭窗口|关闭|简体|繁体"
    r"|无障碍|【字体|【字号|字体[：:]|字号[：:]|返回顶部|分享到|分享$|扫一扫|\[打印|【打印|【关闭|相关链接|网站地图)"
    r"|主办单位|承办单位|ICP备|网站标识码|公网安备|版权所有|技术支持"
)
HEADING_MAX = 30
SENTENCE_END = re.compile(r"[。！？；…!?;”」）)]$")


def clean(line: str) -> str:
    """One line with indentation (NBSP, 全角空格) and runs of spaces tidied; words untouched."""
    return SPACES.sub(" ", line).strip()


def column_from_crumb(line: str) -> str:
    """The last step of a breadcrumb (当前位置 > 首页 > 政务要闻 → 政务要闻), or ''.

    Also a trail without the label, when it looks like one: short steps of names, e.g.
    首页 > 科技频道 > 探索者 > 正文, 人民网>>时政>>各地要闻, 首页 → 新闻中心 → 国内新闻."""
    crumb = BREADCRUMB.match(line)
    if crumb is not None:
        steps = [s.strip() for s in CRUMB_SPLIT.split(crumb["trail"]) if s.strip()]
        steps = [s for s in steps if s not in HOME_STEPS]
        return steps[-1] if steps else ""
    return _bare_crumb(LYNX_IMAGE.sub("", line))


def _bare_crumb(line: str) -> str:
    if len(line) > 50 or not CRUMB_SPLIT.search(line) or CRUMB_NOISE.search(line):
        return ""
    steps = [s.strip() for s in CRUMB_SPLIT.split(line) if s.strip()]
    if len(steps) < 2 or not all(CRUMB_STEP.match(s) for s in steps):
        return ""
    if steps[0].endswith("网"):  # 人民网 >> 时政: the site, like 首页
        steps = steps[1:]
    steps = [s for s in steps if s not in HOME_STEPS]
    return steps[-1] if steps else ""


def reporter(texts: list[str]) -> str:
    """The reporter named in a dateline (（记者钱伟）) in the first or last few lines, or ''."""
    for text in texts[:3] + texts[-3:]:
        if found := REPORTER.search(text):
            return found["v"]
    return ""


def byline_at_end(texts: list[str]) -> tuple[str, int | None]:
    """作者︱春春 on a line of its own among the last three: (the author, its index)."""
    for i in range(len(texts) - 1, max(-1, len(texts) - 4), -1):
        if found := BYLINE.match(texts[i]):
            return found["v"], i
    return "", None


def is_chrome(line: str) -> bool:
    """Menus, print/close buttons, share widgets and footers: page furniture, not article."""
    return len(line) < 80 and bool(CHROME.search(line))


def labelled_fields(line: str) -> dict[str, str]:
    return {name: found["v"] for name, pattern in FIELDS.items() if (found := pattern.search(line))}


def has_interview(lines: list[str]) -> bool:
    """Speaker turns only count on a page where a journalist asks (记者：…)."""
    return any(line.startswith(("记者:", "记者：", "主持人:", "主持人：")) for line in lines)


def block_of(line: str, *, heading: bool = False, interview: bool = False) -> Block:
    """Classify one body line: caption ▲, quote ——, interview turn, heading or paragraph."""
    if line.startswith("▲"):
        return Block("caption", line[1:].strip())
    if line.startswith("——") and len(line) > 4:
        return Block("quote", line.lstrip("—").strip())
    if interview and (turn := SPEAKER_TURN.match(line)) and len(turn["v"].strip()) > 1:
        who = turn["who"]
        kind = "question" if who in ("记者", "主持人") else "answer"
        return Block(kind, turn["v"].strip(), speaker=who)
    if heading or (len(line) <= HEADING_MAX and not SENTENCE_END.search(line)):
        return Block("heading", line)
    return Block("paragraph", line)


def guess_title(lines: list[str]) -> str:
    """A short heading-like line, else the start of the first paragraph."""
    for line in lines:
        short = 4 <= len(line) <= HEADING_MAX and not line.endswith(("：", ":"))  # 各位代表：
        if short and not line.startswith(("——", "▲")) and not SPEAKER_TURN.match(line):
            return line
    return lines[0][:HEADING_MAX] if lines else ""
