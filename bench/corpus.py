#!/usr/bin/env python3
"""A deterministic corpus of Vietnamese district-news articles, for benchmarking (standard library only).

    python bench/corpus.py OUT --articles N [--seed 1] [--format native|hugo|pelican]

Why a generator and not a real portal's archive: a benchmark needs thousands of articles that
anyone can reproduce byte for byte, with no licence question, and at any size. The text is built
from vocabulary lists of one district (Gia Lâm, Hà Nội: its communes, offices, villages and
landmarks) and many sentence templates filled with names, numbers and document references, so
files differ the way real articles do (caching and compression see realistic data), and every
Markdown feature newsroom handles appears: "## " headings, bullet lists, a blockquote, bold and
italic, pipe tables, links to earlier articles, external links and picture references (the
picture files are not written: each one is a "not found" warning, the photo pipeline is not
exercised).

Article i depends only on the seed and on articles 0..i-1, so the corpus of 1,000 articles is the
first 1,000 articles of the 10,000-article one. Dates run from 2012 to 2026-11-28, newer years
holding more articles; the ones drawn after that day are moved ten years ahead (to the end of 2036)
and are scheduled, so build with --future. Far ahead, none of them comes due while a benchmark runs
(dated December 2026, about 18 a day came due during a 100,000-article run on 2026-12-01, and each
changed the site between two timed builds).

Layouts (nothing else under OUT is written; OUT/content must not exist yet):

  native   OUT/config.yaml and OUT/content/<year>/<slug>.md, newsroom's own front matter
           (title, category, date "YYYY-MM-DD HH:MM" in Asia/Ho_Chi_Minh, author, source_unit,
           tags, summary); links to articles: [title](../<year>/<slug>.md)
  hugo     OUT/content/posts/<year>/<slug>.md: YAML front matter with an RFC 3339 date and
           categories: [..]; links: [title]({{< relref "/posts/<year>/<slug>.md" >}})
  pelican  OUT/content/<year>/<slug>.md: Pelican "Key: value" headers (Title, Date, Category,
           Tags, Author, Summary, Slug, Source_unit); links: [title]({filename}/<year>/<slug>.md)

The same articles (same words, same dates) are written in every format; only the front matter and
the way links to other articles are spelled differ, so each generator resolves them its own way.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

FORMATS = ("native", "hugo", "pelican")
SITE_TITLE = "Cổng thông tin điện tử huyện Gia Lâm"
SITE_DESCRIPTION = "Tin tức, sự kiện, hoạt động của Đảng bộ, chính quyền và nhân dân huyện Gia Lâm, thành phố Hà Nội."
BASE_URL = "https://gialam.example/"
FIRST_YEAR, LAST_YEAR = 2012, 2026


def _lines(text: str) -> list[str]:
    """One entry per non-blank line: long vocabulary lists stay readable."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------------
# Vocabulary of one district
# ------------------------------------------------------------------------------------------------

# (section, weight): a district portal publishes far more general news than environment news.
CATEGORIES = [
    ("Tin tức - Sự kiện", 22),
    ("Đảng, đoàn thể", 14),
    ("Văn hóa - Xã hội", 12),
    ("Kinh tế", 9),
    ("An ninh - Quốc phòng", 8),
    ("Giáo dục", 7),
    ("Y tế", 6),
    ("Nông thôn mới", 6),
    ("Cải cách hành chính", 5),
    ("Thông báo", 5),
    ("Chuyển đổi số", 4),
    ("Tài nguyên - Môi trường", 3),
]

COMMUNES = _lines("""
    thị trấn Trâu Quỳ
    thị trấn Yên Viên
    xã Bát Tràng
    xã Kim Lan
    xã Văn Đức
    xã Đa Tốn
    xã Kiêu Kỵ
    xã Dương Xá
    xã Phú Thị
    xã Đặng Xá
    xã Cổ Bi
    xã Đông Dư
    xã Ninh Hiệp
    xã Phù Đổng
    xã Trung Mầu
    xã Lệ Chi
    xã Kim Sơn
    xã Dương Quang
    xã Yên Thường
    xã Yên Viên
    xã Đình Xuyên
    xã Dương Hà
""")

VILLAGES = _lines("""
    thôn Giang Cao
    thôn Kim Quan
    thôn Thuận Tốn
    thôn Chử Xá
    thôn Dương Đanh
    thôn Kim Âu
    thôn Lại Hoàng
    thôn Phù Dực
    thôn Đổng Xuyên
    thôn Hội Xá
    thôn Thuận Quang
    thôn Cam
    thôn Lở
    thôn Trung Dương
    thôn Kiêu Kỵ
    thôn Ái Mộ
    thôn Đào Xuyên
    thôn Báng
    thôn Đông Dư Hạ
    thôn Viên Ngoại
    thôn Tô Khê
    thôn Yên Bình
    thôn Ngọc Động
    thôn Quy Mông
    tổ dân phố An Đào
    tổ dân phố Cửu Việt
    tổ dân phố Vàng
    tổ dân phố Kiên Thành
""")

PLACES = _lines("""
    khu di tích đền Phù Đổng
    làng gốm Bát Tràng
    chợ vải Ninh Hiệp
    làng nghề dát vàng, bạc quỳ Kiêu Kỵ
    đê tả sông Đuống
    bãi giữa sông Hồng
    đường Ỷ Lan
    đường Nguyễn Đức Thuận
    quốc lộ 5
    quốc lộ 1A
    Trung tâm Y tế huyện
    Nhà văn hóa huyện
    Sân vận động huyện
    Học viện Nông nghiệp Việt Nam
    cụm công nghiệp Phú Thị
    khu đô thị Đặng Xá
    đền Bà Tấm
    chùa Keo
    bến đò Kim Lan
    trạm bơm Kim Sơn
""")

ORGS = _lines("""
    Huyện ủy Gia Lâm
    HĐND huyện
    UBND huyện
    Ủy ban MTTQ Việt Nam huyện
    Ban Tuyên giáo Huyện ủy
    Ban Dân vận Huyện ủy
    Ban Tổ chức Huyện ủy
    Ủy ban Kiểm tra Huyện ủy
    Văn phòng HĐND và UBND huyện
    Phòng Nội vụ huyện
    Phòng Tư pháp huyện
    Phòng Tài chính - Kế hoạch huyện
    Phòng Kinh tế huyện
    Phòng Quản lý đô thị huyện
    Phòng Tài nguyên và Môi trường huyện
    Phòng Lao động - Thương binh và Xã hội huyện
    Phòng Văn hóa và Thông tin huyện
    Phòng Giáo dục và Đào tạo huyện
    Phòng Y tế huyện
    Thanh tra huyện
    Công an huyện
    Ban Chỉ huy Quân sự huyện
    Trung tâm Y tế huyện
    Trung tâm Văn hóa, Thông tin và Thể thao huyện
    Bảo hiểm xã hội huyện
    Chi cục Thuế khu vực Gia Lâm - Long Biên
    Huyện đoàn Gia Lâm
    Hội Liên hiệp Phụ nữ huyện
    Hội Nông dân huyện
    Hội Cựu chiến binh huyện
    Liên đoàn Lao động huyện
    Hội Chữ thập đỏ huyện
    Hội Người cao tuổi huyện
    Hội Khuyến học huyện
    Đội Quản lý trật tự xây dựng đô thị huyện
    Ban Quản lý dự án đầu tư xây dựng huyện
    Trung tâm Phát triển quỹ đất huyện
    Phòng giao dịch Ngân hàng Chính sách xã hội huyện
""")

# (office that files the article, weight)
SOURCE_UNITS = [
    ("Trung tâm Văn hóa, Thông tin và Thể thao huyện", 22),
    ("Văn phòng HĐND và UBND huyện", 10),
    ("Ban Tuyên giáo Huyện ủy", 8),
    ("Ban Dân vận Huyện ủy", 6),
    ("Ủy ban MTTQ Việt Nam huyện", 6),
    ("Huyện đoàn Gia Lâm", 5),
    ("Hội Liên hiệp Phụ nữ huyện", 4),
    ("Phòng Giáo dục và Đào tạo huyện", 5),
    ("Trung tâm Y tế huyện", 4),
    ("Công an huyện", 5),
    ("Ban Chỉ huy Quân sự huyện", 3),
    ("Phòng Kinh tế huyện", 4),
    ("Phòng Tài nguyên và Môi trường huyện", 3),
    ("UBND xã Bát Tràng", 2),
    ("UBND xã Ninh Hiệp", 2),
    ("UBND thị trấn Trâu Quỳ", 3),
    ("UBND xã Phù Đổng", 2),
]

AUTHORS = _lines("""
    Minh Thu
    Hoàng Hà
    Thanh Bình
    Ngọc Diệp
    Quang Minh
    Hải Đăng
    Thu Phương
    Đức Anh
    Khánh Linh
    Văn Cường
    Lệ Hằng
    Tuấn Anh
    Bảo Châu
    Phương Nhung
    Mạnh Cường
    Hoài Thu
    Trọng Nghĩa
    Thanh Nga
    Xuân Mai
    Việt Dũng
    Hương Giang
    Tùng Lâm
    Thúy Hằng
    Quốc Khánh
    Hồng Vân
    Đức Minh
    Thảo Nguyên
    Ánh Dương
    Gia Huy
    Kim Liên
""")

# (tag, topic phrase it belongs to): tags follow what the article is about.
TOPICS = [
    ("Dân vận khéo", "công tác dân vận"),
    ("Quy chế dân chủ", "thực hiện quy chế dân chủ ở cơ sở"),
    ("Cải cách hành chính", "công tác cải cách hành chính"),
    ("Chuyển đổi số", "chuyển đổi số"),
    ("Dịch vụ công trực tuyến", "triển khai dịch vụ công trực tuyến"),
    ("Đề án 06", "thực hiện Đề án 06 về dữ liệu dân cư"),
    ("Nông thôn mới", "xây dựng nông thôn mới nâng cao, kiểu mẫu"),
    ("OCOP", "phát triển sản phẩm OCOP"),
    ("Làng nghề", "bảo tồn và phát triển làng nghề truyền thống"),
    ("Môi trường", "bảo vệ môi trường"),
    ("Rác thải", "phân loại rác thải tại nguồn"),
    ("Nước sạch", "cung cấp nước sạch cho người dân"),
    ("Phòng chống dịch", "phòng, chống dịch bệnh"),
    ("Tiêm chủng", "tiêm chủng mở rộng"),
    ("An toàn thực phẩm", "bảo đảm an toàn vệ sinh thực phẩm"),
    ("Bảo hiểm y tế", "phát triển người tham gia bảo hiểm y tế"),
    ("Bảo hiểm xã hội", "mở rộng bảo hiểm xã hội tự nguyện"),
    ("An toàn giao thông", "bảo đảm trật tự an toàn giao thông"),
    ("Phòng cháy chữa cháy", "phòng cháy, chữa cháy và cứu nạn, cứu hộ"),
    ("Trật tự đô thị", "quản lý trật tự xây dựng đô thị"),
    ("Giải phóng mặt bằng", "giải phóng mặt bằng các dự án trọng điểm"),
    ("Quản lý đất đai", "quản lý đất đai"),
    ("Thu ngân sách", "thu ngân sách nhà nước"),
    ("Kinh tế tập thể", "phát triển kinh tế tập thể, hợp tác xã"),
    ("Giảm nghèo", "giảm nghèo bền vững"),
    ("An sinh xã hội", "bảo đảm an sinh xã hội"),
    ("Người có công", "chăm sóc người có công với cách mạng"),
    ("Học tập và làm theo Bác", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    ("Xây dựng Đảng", "xây dựng, chỉnh đốn Đảng và hệ thống chính trị"),
    ("Đại hội Đảng", "chuẩn bị đại hội đảng bộ các cấp"),
    ("Bầu cử", "bầu cử đại biểu Quốc hội và HĐND các cấp"),
    ("Tiếp công dân", "tiếp công dân, giải quyết khiếu nại, tố cáo"),
    ("Phòng chống tham nhũng", "phòng, chống tham nhũng, tiêu cực"),
    ("Phổ biến pháp luật", "phổ biến, giáo dục pháp luật"),
    ("Tuyển quân", "tuyển chọn và gọi công dân nhập ngũ"),
    ("Diễn tập", "diễn tập khu vực phòng thủ"),
    ("Dân quân tự vệ", "xây dựng lực lượng dân quân tự vệ"),
    ("Khuyến học", "khuyến học, khuyến tài, xây dựng xã hội học tập"),
    ("Khai giảng", "chuẩn bị năm học mới"),
    ("Thi tốt nghiệp", "tổ chức kỳ thi tốt nghiệp trung học phổ thông"),
    ("Trường chuẩn quốc gia", "xây dựng trường đạt chuẩn quốc gia"),
    ("Văn hóa cơ sở", "xây dựng đời sống văn hóa ở khu dân cư"),
    ("Nếp sống văn minh", "thực hiện nếp sống văn minh trong việc cưới, việc tang"),
    ("Lễ hội", "tổ chức lễ hội truyền thống"),
    ("Di tích", "bảo tồn, phát huy giá trị di tích lịch sử"),
    ("Thể dục thể thao", "phong trào thể dục thể thao quần chúng"),
    ("Thanh niên tình nguyện", "phong trào thanh niên tình nguyện"),
    ("Phụ nữ", "phong trào phụ nữ tích cực học tập, lao động sáng tạo"),
    ("Cựu chiến binh", "phát huy vai trò cựu chiến binh"),
    ("Nông dân", "phong trào nông dân thi đua sản xuất, kinh doanh giỏi"),
    ("Người cao tuổi", "chăm sóc và phát huy vai trò người cao tuổi"),
    ("Trẻ em", "bảo vệ, chăm sóc trẻ em"),
    ("Tết Nguyên đán", "chăm lo Tết cho các gia đình chính sách"),
    ("Quy hoạch", "thực hiện quy hoạch phân khu đô thị"),
    ("Lên quận", "xây dựng huyện Gia Lâm trở thành quận"),
    ("Hạ tầng giao thông", "đầu tư hạ tầng giao thông"),
    ("Du lịch", "phát triển du lịch làng nghề"),
]

# Place tags: an article about a commune is often tagged with its name.
PLACE_TAGS = [c.removeprefix("xã ").removeprefix("thị trấn ") for c in COMMUNES]

CATEGORY_TOPICS = {  # indexes into TOPICS that each section mostly writes about
    "Tin tức - Sự kiện": [2, 6, 18, 19, 20, 22, 53, 54, 55],
    "Đảng, đoàn thể": [0, 1, 27, 28, 29, 46, 47, 48, 49, 50],
    "Văn hóa - Xã hội": [25, 26, 41, 42, 43, 44, 45, 51, 52, 56],
    "Kinh tế": [7, 8, 22, 23, 24, 53, 56],
    "An ninh - Quốc phòng": [5, 17, 18, 32, 34, 35, 36],
    "Giáo dục": [37, 38, 39, 40, 46],
    "Y tế": [12, 13, 14, 15, 16],
    "Nông thôn mới": [6, 7, 10, 11, 23, 24, 49],
    "Cải cách hành chính": [2, 4, 5, 31, 33],
    "Thông báo": [19, 21, 30, 31, 34, 38],
    "Chuyển đổi số": [3, 4, 5, 2],
    "Tài nguyên - Môi trường": [9, 10, 11, 21, 20],
}

SURNAMES = _lines("Nguyễn\nTrần\nLê\nPhạm\nHoàng\nVũ\nĐặng\nBùi\nĐỗ\nNgô\nDương\nLý\nĐinh\nTrịnh\nPhan\nTạ\nLưu")
MIDDLES = _lines("Văn\nThị\nĐức\nMinh\nThanh\nHữu\nQuang\nNgọc\nXuân\nThu\nHồng\nTiến\nKim\nBá\nDuy")
GIVENS = _lines(
    """
    Hùng Hà Tuấn Lan Dũng Hương Sơn Thủy Nam Hải Bình Phượng Cường Hạnh Long Mai Thắng Yến
    Khánh Trang Hiếu Ngân Vinh Oanh Tâm Quyết Chiến Nga Hoa Lâm Phúc Thịnh Hậu Thoa Huệ Toàn
""".replace(" ", "\n")
)

POSITIONS = _lines("""
    Bí thư Huyện ủy
    Phó Bí thư Thường trực Huyện ủy
    Chủ tịch HĐND huyện
    Chủ tịch UBND huyện
    Phó Chủ tịch UBND huyện
    Trưởng Ban Dân vận Huyện ủy
    Trưởng Ban Tuyên giáo Huyện ủy
    Trưởng Ban Tổ chức Huyện ủy
    Chủ tịch Ủy ban MTTQ Việt Nam huyện
    Ủy viên Ban Thường vụ Huyện ủy
    Bí thư Huyện đoàn
    Chủ tịch Hội Liên hiệp Phụ nữ huyện
    Trưởng Công an huyện
    Chỉ huy trưởng Ban Chỉ huy Quân sự huyện
    Trưởng phòng Giáo dục và Đào tạo
    Giám đốc Trung tâm Y tế huyện
    Chánh Văn phòng HĐND và UBND huyện
    Trưởng phòng Kinh tế
""")
LOCAL_POSITIONS = _lines("""
    Bí thư Đảng ủy
    Chủ tịch UBND
    Phó Chủ tịch UBND
    Chủ tịch Ủy ban MTTQ
    Trưởng Công an
    Bí thư Đoàn thanh niên
    Chủ tịch Hội Nông dân
""")

EVENTS = _lines("""
    hội nghị triển khai
    hội nghị sơ kết
    hội nghị tổng kết
    lễ ra quân
    lễ phát động
    lớp tập huấn
    lớp bồi dưỡng
    buổi tọa đàm về
    hội thi tìm hiểu về
    cuộc thi trực tuyến về
    buổi đối thoại về
    đợt kiểm tra
    chiến dịch cao điểm về
    diễn đàn về
    hội nghị chuyên đề về
""")

GROUPS = _lines("""
    cán bộ, đảng viên
    đoàn viên, thanh niên
    hội viên phụ nữ
    hội viên nông dân
    hội viên cựu chiến binh
    người cao tuổi
    học sinh, sinh viên
    giáo viên
    tiểu thương
    hộ sản xuất, kinh doanh
    người lao động
    công chức một cửa
    trưởng thôn, tổ trưởng tổ dân phố
    thành viên tổ công nghệ số cộng đồng
    lực lượng dân quân
    y, bác sĩ
""")

TASKS = _lines("""
    tăng cường tuyên truyền, vận động nhân dân đồng thuận thực hiện
    rà soát, hoàn thiện hồ sơ, thủ tục theo đúng quy định
    kiện toàn ban chỉ đạo và phân công nhiệm vụ cụ thể cho từng thành viên
    đẩy mạnh ứng dụng công nghệ thông tin trong quản lý, điều hành
    kiểm tra, đôn đốc tiến độ thực hiện tại cơ sở
    xử lý dứt điểm các kiến nghị, phản ánh của cử tri
    nhân rộng các mô hình hay, cách làm hiệu quả
    huy động các nguồn lực xã hội hóa
    nâng cao chất lượng đội ngũ cán bộ cơ sở
    bảo đảm an ninh chính trị, trật tự an toàn xã hội trên địa bàn
    phối hợp chặt chẽ với các đơn vị liên quan
    giải quyết kịp thời những khó khăn, vướng mắc phát sinh
    biểu dương, khen thưởng các tập thể, cá nhân tiêu biểu
    duy trì nền nếp giao ban định kỳ hằng tháng
    công khai, minh bạch thông tin để nhân dân giám sát
    tổ chức đối thoại trực tiếp với người dân
""")

RESULTS = _lines("""
    100% hồ sơ được giải quyết đúng và trước hạn
    toàn huyện không để xảy ra điểm nóng phức tạp
    nhiều tuyến đường thôn, ngõ xóm được cứng hóa
    thu nhập bình quân đầu người tiếp tục tăng
    tỷ lệ hộ nghèo giảm còn dưới 1%
    các chỉ tiêu kinh tế - xã hội cơ bản đạt và vượt kế hoạch
    hàng trăm lượt người dân được hỗ trợ kịp thời
    chất lượng giáo dục toàn diện được nâng lên
    công tác chăm sóc sức khỏe nhân dân có chuyển biến rõ nét
    bộ mặt nông thôn ngày càng khang trang, sạch đẹp
    sự hài lòng của người dân đối với cơ quan hành chính tăng lên
    phong trào thi đua được triển khai sâu rộng
    các sản phẩm làng nghề tiếp cận được thị trường mới
    hạ tầng giao thông, thủy lợi được đầu tư đồng bộ
""")

DIFFICULTIES = _lines("""
    nguồn kinh phí còn hạn chế
    một bộ phận người dân chưa thực sự quan tâm
    hạ tầng kỹ thuật ở một số thôn còn xuống cấp
    việc phối hợp giữa các đơn vị có lúc chưa chặt chẽ
    tiến độ giải phóng mặt bằng một số dự án còn chậm
    tình trạng vi phạm trật tự xây dựng vẫn còn diễn biến phức tạp
    đội ngũ cán bộ cơ sở còn mỏng, kiêm nhiệm nhiều việc
    thời tiết diễn biến bất thường ảnh hưởng đến sản xuất
    dữ liệu giữa các phần mềm chưa được kết nối đồng bộ
    ý thức chấp hành pháp luật của một số hộ kinh doanh chưa cao
""")

MODELS = _lines("""
    “Dân vận khéo” trong giải phóng mặt bằng
    “Ngày thứ bảy xanh”
    “Tuyến đường tự quản an ninh trật tự”
    “Chi hội phụ nữ không có người vi phạm pháp luật”
    “Tổ công nghệ số cộng đồng”
    “Thôn văn hóa kiểu mẫu”
    “Nhà văn hóa thông minh”
    “Vườn mẫu, khu dân cư kiểu mẫu”
    “Tủ sách pháp luật điện tử”
    “Chợ 4.0 không dùng tiền mặt”
    “Camera an ninh vì cộng đồng”
    “Hũ gạo tình thương”
""")

PROJECTS = _lines("""
    dự án cải tạo, nâng cấp đường Ỷ Lan
    dự án xây dựng cầu Tứ Liên
    dự án đường vành đai 3,5
    dự án mở rộng quốc lộ 5
    dự án xây dựng trường THCS Trâu Quỳ
    dự án cải tạo trạm bơm Kim Sơn
    dự án khu tái định cư Đặng Xá
    dự án xây dựng Trung tâm Văn hóa huyện
    dự án nâng cấp đê tả sông Đuống
    dự án xây dựng nhà máy xử lý nước thải
    dự án hạ tầng cụm công nghiệp Phú Thị
    dự án chỉnh trang không gian làng gốm Bát Tràng
""")

FACILITIES = _lines("""
    nhà văn hóa
    sân thể thao
    điểm trường mầm non
    trạm y tế
    tuyến đường liên thôn
    hệ thống chiếu sáng
    vườn hoa
    khu vui chơi cho thiếu nhi
    điểm thu gom rác thải
    bộ phận một cửa
""")

PERIODS = ["6 tháng đầu năm {y}", "quý I/{y}", "quý II/{y}", "quý III/{y}", "năm {py}", "9 tháng năm {y}"]
PERIODS += ["giai đoạn 2021-2025", "nhiệm kỳ 2020-2025", "giai đoạn 2016-2020", "tháng {m}/{y}"]

ADVERBS = _lines("""
    kịp thời
    nghiêm túc
    đồng bộ
    hiệu quả
    quyết liệt
    bài bản
    sâu rộng
    thiết thực
    đúng quy định
    chặt chẽ
""")

QUOTES = _lines("""
    Chúng tôi xác định đây là nhiệm vụ trọng tâm, phải làm thường xuyên, liên tục, không chạy theo thành tích
    Mỗi cán bộ phải sát dân, hiểu dân, trọng dân và có trách nhiệm với dân
    Kết quả hôm nay là nhờ sự đồng lòng của bà con, chính quyền chỉ là người đồng hành
    Nhiệm vụ còn nhiều, nhưng với quyết tâm chính trị cao, huyện sẽ hoàn thành mục tiêu đề ra
    Người dân được bàn, được làm, được kiểm tra và được hưởng thụ thành quả
    Việc gì có lợi cho dân thì phải hết sức làm, việc gì có hại cho dân thì phải hết sức tránh
    Trước đây đi làm thủ tục mất cả buổi, nay ngồi ở nhà cũng nộp được hồ sơ, rất thuận tiện
    Gia đình tôi được hỗ trợ kịp thời nên đã ổn định cuộc sống và có vốn làm ăn
    Các đơn vị không được chủ quan, lơ là, phải có phương án cụ thể cho từng tình huống
    Chúng tôi mong muốn tiếp tục nhận được sự quan tâm, tạo điều kiện của các cấp, các ngành
    Thôn tôi giờ đường sạch, đèn sáng, bà con ai cũng phấn khởi
    Chất lượng phục vụ nhân dân là thước đo hiệu quả công tác của mỗi cơ quan, đơn vị
""")

HEADINGS = _lines("""
    Kết quả nổi bật
    Nhiều cách làm sáng tạo
    Chuyển biến rõ nét từ cơ sở
    Nhiệm vụ trọng tâm thời gian tới
    Còn những khó khăn, vướng mắc
    Phát huy vai trò của {group}
    {Acommune} đi đầu trong {atopic}
    Đồng thuận từ nhân dân
    Quyết tâm hoàn thành mục tiêu năm {y}
    Lan tỏa những mô hình hay
    Không để ai bị bỏ lại phía sau
    Sát cánh cùng người dân
    Tháo gỡ điểm nghẽn
    Những con số ấn tượng
    Hướng tới mục tiêu xây dựng huyện thành quận
""")

EXTERNAL_LINKS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Cổng giao tiếp điện tử thành phố Hà Nội", "https://hanoi.gov.vn/"),
    ("Bảo hiểm xã hội Việt Nam", "https://baohiemxahoi.gov.vn/"),
    ("Bộ Y tế", "https://moh.gov.vn/"),
    ("Bộ Giáo dục và Đào tạo", "https://moet.gov.vn/"),
    ("Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"),
    ("Báo Hànộimới", "https://hanoimoi.vn/"),
    ("Cổng thông tin Bộ Tư pháp", "https://moj.gov.vn/"),
    ("Cổng thông tin OCOP Việt Nam", "https://ocopvietnam.gov.vn/"),
]

DOCUMENTS = [  # (kind, code suffix, issuer)
    ("Kế hoạch", "KH-UBND", "UBND huyện"),
    ("Quyết định", "QĐ-UBND", "UBND huyện"),
    ("Chỉ thị", "CT-HU", "Ban Thường vụ Huyện ủy"),
    ("Nghị quyết", "NQ-HU", "Ban Chấp hành Đảng bộ huyện"),
    ("Công văn", "UBND-VP", "UBND huyện"),
    ("Kế hoạch", "KH-UBND", "UBND thành phố Hà Nội"),
    ("Nghị quyết", "NQ-HĐND", "HĐND huyện"),
    ("Hướng dẫn", "HD-BTG", "Ban Tuyên giáo Huyện ủy"),
]

TABLE_METRICS = [
    ("Số hộ tham gia", "big"),
    ("Tỷ lệ hoàn thành", "pct"),
    ("Kinh phí (triệu đồng)", "mid"),
    ("Số hồ sơ tiếp nhận", "big"),
    ("Số lớp tập huấn", "n"),
    ("Số người được hỗ trợ", "mid"),
    ("Tỷ lệ hài lòng", "pct"),
    ("Số mô hình", "n"),
]

# Title patterns per section; {Slot} capitalises the slot's first letter.
TITLES = {
    "Tin tức - Sự kiện": _lines("""
        Huyện Gia Lâm tổ chức {event} {atopic}
        {Acommune} tổ chức {event} {atopic} năm {y}
        Lãnh đạo huyện kiểm tra tiến độ {project}
        {Aorg} tổ chức {event} {atopic}
        Khánh thành {facility} {village}, {acommune}
        Gia Lâm đẩy mạnh {atopic} trong {period}
        Kỳ họp thứ {n} HĐND huyện Gia Lâm khóa XX thông qua {n} nghị quyết
        Đoàn công tác thành phố làm việc với huyện Gia Lâm về {atopic}
    """),
    "Đảng, đoàn thể": _lines("""
        {Aorg} tổ chức {event} {atopic}
        Đảng bộ {acommune} tổ chức hội nghị chuyên đề về {atopic}
        Ban Thường vụ Huyện ủy Gia Lâm làm việc với Đảng ủy {acommune} về {atopic}
        {Acommune}: kết nạp {n} đảng viên mới trong {period}
        Lan tỏa mô hình {model} ở {acommune}
        Huyện đoàn Gia Lâm ra quân {atopic} năm {y}
    """),
    "Văn hóa - Xã hội": _lines("""
        {Acommune} tổ chức {event} {atopic}
        Rộn ràng lễ hội truyền thống tại {place} năm {y}
        Trao {n} suất quà cho {group} có hoàn cảnh khó khăn tại {acommune}
        Gia Lâm: {atopic} gắn với phát triển du lịch
        Khai mạc giải thể thao mừng Đảng, mừng Xuân năm {y} tại {acommune}
        {Village}: nâng cao chất lượng {atopic}
    """),
    "Kinh tế": _lines("""
        Gia Lâm: {atopic} đạt kết quả tích cực trong {period}
        {Acommune} có thêm {n} sản phẩm đạt chuẩn OCOP
        Làng nghề {acommune} tìm hướng đi mới năm {y}
        Thu ngân sách huyện Gia Lâm {period} đạt {pct} dự toán
        Hợp tác xã ở {acommune} mở rộng sản xuất nhờ {atopic}
    """),
    "An ninh - Quốc phòng": _lines("""
        Công an huyện Gia Lâm tổ chức {event} {atopic}
        {Acommune} tổ chức lễ giao nhận quân năm {y}
        Gia Lâm tổ chức {event} {atopic} năm {y}
        Ra mắt mô hình {model} tại {village}, {acommune}
        Tăng cường {atopic} dịp cao điểm {period}
    """),
    "Giáo dục": _lines("""
        Ngành giáo dục Gia Lâm tổ chức {event} {atopic}
        Trường THCS {acommune_name} đón Bằng công nhận trường đạt chuẩn quốc gia
        Gia Lâm chuẩn bị chu đáo cho năm học {y}-{ny}
        Tuyên dương {n} học sinh, giáo viên tiêu biểu năm học {py}-{y}
        {Acommune} tổ chức {event} {atopic}
    """),
    "Y tế": _lines("""
        Trung tâm Y tế huyện Gia Lâm tổ chức {event} {atopic}
        {Acommune} ra quân {atopic} năm {y}
        Khám bệnh, cấp thuốc miễn phí cho {n}0 {group} tại {acommune}
        Gia Lâm tăng cường {atopic} trong {period}
    """),
    "Nông thôn mới": _lines("""
        {Acommune} đón Bằng công nhận đạt chuẩn nông thôn mới kiểu mẫu năm {y}
        Gia Lâm: {atopic} gắn với chỉnh trang {facility}
        {Village}, {acommune} về đích thôn kiểu mẫu năm {y}
        Huy động {money} xây dựng nông thôn mới tại {acommune}
        Đoàn thẩm định thành phố kiểm tra kết quả xây dựng nông thôn mới tại {acommune} năm {y}
    """),
    "Cải cách hành chính": _lines("""
        Gia Lâm: nâng cao chỉ số {atopic} năm {y}
        Bộ phận một cửa {acommune} tổ chức {event} {atopic}
        {Aorg} tổ chức {event} {atopic}
        Gia Lâm công bố Chỉ số hài lòng về sự phục vụ hành chính năm {py}
    """),
    "Thông báo": _lines("""
        Thông báo lịch tiếp công dân của Chủ tịch UBND huyện tháng {m}/{y}
        Thông báo về việc lấy ý kiến nhân dân về {atopic}
        Thông báo kết quả {atopic} đợt {n} năm {y}
        Thông báo tuyển dụng viên chức {aorg} năm {y}
        Thông báo về việc tạm dừng cấp phép xây dựng tại {acommune}
        Thông báo thời gian tiếp nhận hồ sơ {atopic} năm {y}
    """),
    "Chuyển đổi số": _lines("""
        {Acommune} ra mắt mô hình {model}
        Gia Lâm: {atopic} từ cơ sở
        {Aorg} tổ chức {event} {atopic}
        Tổ công nghệ số cộng đồng {acommune} hỗ trợ {n}00 người dân cài đặt VNeID
    """),
    "Tài nguyên - Môi trường": _lines("""
        Gia Lâm ra quân {atopic} năm {y}
        {Acommune}: xử lý dứt điểm điểm tập kết rác tự phát ven {place}
        Tăng cường {atopic} tại {acommune}
        Gia Lâm kiểm tra việc {atopic} tại các cụm công nghiệp
    """),
}

SENTENCES = _lines("""
    Thực hiện {doc}, {aorg} đã chủ động xây dựng kế hoạch, phân công nhiệm vụ cụ thể cho từng bộ phận.
    Đến nay, toàn huyện đã có {big} lượt {group} tham gia, đạt {pct} kế hoạch đề ra.
    Tại {acommune}, việc {atopic} được triển khai {adv}, tạo sự đồng thuận cao trong nhân dân.
    Theo báo cáo của {org}, trong {period}, {result}.
    Phát biểu tại {event} {atopic}, {official} ghi nhận, đánh giá cao sự vào cuộc của {org}.
    Bên cạnh kết quả đạt được, {difficulty} vẫn là khó khăn cần sớm được khắc phục.
    Thời gian tới, {aorg} tiếp tục {task}, phấn đấu hoàn thành chỉ tiêu trước {date}.
    Tổng kinh phí thực hiện khoảng {money}, trong đó ngân sách huyện hỗ trợ {pct}, phần còn lại do nhân dân đóng góp.
    Nhiều mô hình hay như {model} tại {village}, {commune} được các địa phương học tập, nhân rộng.
    Để công tác {atopic} đạt hiệu quả, các đơn vị cần {task} và {task}.
    Ngay sau {event} {atopic}, các xã, thị trấn đã đồng loạt {task}.
    Trong buổi làm việc, đại diện {org} đã trao đổi, làm rõ nhiều nội dung liên quan đến {atopic}.
    Qua kiểm tra tại {n} đơn vị, đoàn công tác đánh giá {result}, song vẫn còn tình trạng {difficulty}.
    Năm {py}, {acommune} đã hoàn thành {n}/45 tiêu chí nông thôn mới kiểu mẫu, {result}.
    Đặc biệt, {org} đã phối hợp với {org2} tổ chức {n} đợt tuyên truyền tại {place}, thu hút đông đảo {group} tham gia.
    Từ đầu năm đến nay, lực lượng chức năng đã kiểm tra {mid} trường hợp, nhắc nhở và xử lý {n} trường hợp vi phạm.
    Ông {person}, {local_position} {commune}, cho biết: “{quote}.”
    Bà {person}, người dân {village}, {commune} chia sẻ: “{quote}.”
    Với sự vào cuộc của cả hệ thống chính trị, {result} và được nhân dân đồng tình ủng hộ.
    {Aorg} đề nghị các đơn vị tiếp tục {task}, đồng thời {task}.
    Dịp này, {org} đã tặng giấy khen cho {n} tập thể và {n2} cá nhân có thành tích xuất sắc trong {atopic}.
    Các nội dung của {doc} đã được phổ biến tới {big} {group} bằng nhiều hình thức phù hợp.
    So với cùng kỳ năm {py}, số lượng hồ sơ tăng {pct}, trong đó {pct2} được tiếp nhận qua môi trường mạng.
    Nhằm {task}, {aorg} đã thành lập {n} tổ công tác, thường xuyên có mặt tại cơ sở để nắm bắt tình hình.
    Hiện nay, {project} đang được gấp rút triển khai, dự kiến hoàn thành trong {period}.
    Đây là dịp để {group} trên địa bàn huyện giao lưu, học hỏi kinh nghiệm, nâng cao nhận thức về {atopic}.
    Nhờ làm tốt công tác tuyên truyền, {result}, góp phần quan trọng vào thành tích chung của huyện.
    Tuy nhiên, qua theo dõi cho thấy {difficulty}, nhất là ở {village} và khu vực giáp ranh {commune}.
    Các đại biểu đã tập trung thảo luận, đóng góp {n} ý kiến tâm huyết, sát với thực tiễn của địa phương.
    UBND huyện giao {org} chủ trì, phối hợp với UBND các xã, thị trấn {task}, báo cáo kết quả trước {date}.
    Từ nguồn vốn ủy thác qua Ngân hàng Chính sách xã hội, {mid} hộ đã được vay vốn với tổng dư nợ {money}.
    Ngoài ra, {n} công trình chào mừng như {facility} {village}, {facility2} {commune} đã được gắn biển.
    {Official} yêu cầu {aorg} {task}, tránh tình trạng hình thức, chạy theo thành tích.
    Theo kế hoạch, đến năm {ny}, huyện phấn đấu có {pct} {group} được tập huấn, bồi dưỡng kỹ năng về {atopic}.
    Kết quả này là minh chứng rõ nét cho hiệu quả của {atopic} trên địa bàn {acommune} trong những năm qua.
    Chương trình nhận được sự hưởng ứng tích cực của {group} và nhân dân {acommune}.
    Theo thống kê, {commune} hiện có {mid} hộ dân với hơn {big} nhân khẩu, trong đó {pct2} là lao động phi nông nghiệp.
    Năm {y}, huyện Gia Lâm đặt mục tiêu về {atopic} với {n} nhóm nhiệm vụ, {n2} chỉ tiêu cụ thể.
    Trên cơ sở đó, {org} tham mưu UBND huyện ban hành {doc}, làm căn cứ để các địa phương triển khai.
    Các thủ tục liên quan đến {atopic} được niêm yết công khai tại bộ phận một cửa và trên Cổng thông tin điện tử huyện.
    Cùng với đó, {org} chỉ đạo {n} chi hội cơ sở đăng ký thực hiện ít nhất một công trình, phần việc cụ thể.
    Đến hết {period}, tổng số {group} được hỗ trợ đạt {mid} người, tăng {pct2} so với cùng kỳ.
    Nhiều gia đình ở {village} đã tự nguyện hiến đất, tháo dỡ công trình để mở rộng đường giao thông nông thôn.
    Công tác kiểm tra, giám sát được tăng cường, kịp thời chấn chỉnh những thiếu sót ngay từ cơ sở.
    Đại diện {org2} đề nghị các cấp, các ngành tiếp tục quan tâm, hỗ trợ về cơ chế, chính sách và nguồn lực.
    Sau {n} ngày ra quân, lực lượng chức năng đã giải tỏa {mid} m² lấn chiếm hành lang giao thông tại {place}.
    Hằng tháng, {aorg} duy trì giao ban để đánh giá tiến độ, kịp thời điều chỉnh giải pháp phù hợp với thực tế.
    Trong không khí trang nghiêm, các đại biểu đã dâng hương tưởng niệm tại {place}.
    Huyện cũng chú trọng {task}, coi đây là khâu đột phá trong {atopic}.
    Số liệu của {org} cho thấy tỷ lệ người dân hài lòng đạt {pct}, cao hơn mức bình quân của thành phố.
    Ghi nhận tại {village}, không khí lao động diễn ra sôi nổi từ sáng sớm, các tuyến đường được quét dọn sạch sẽ.
""")

SUMMARIES = _lines("""
    {Aorg} vừa tổ chức {event} {atopic}, với sự tham gia của {big} {group} trên địa bàn huyện.
    Trong {period}, {acommune} đã triển khai {adv} công tác {atopic}, {result}.
    Sáng {date}, tại {place}, {aorg} tổ chức {event} {atopic}.
    Thực hiện {doc}, {acommune} tập trung {task}.
    Với nhiều cách làm sáng tạo, {atopic} tại {acommune} đã có chuyển biến rõ nét.
""")

BULLET_INTROS = [  # (introduction, what the items are)
    ("Các nhiệm vụ trọng tâm trong thời gian tới gồm:", TASKS),
    ("Các đơn vị được giao nhiệm vụ cụ thể như sau:", TASKS),
    ("Hội nghị thống nhất các nội dung sau:", TASKS),
    ("Một số kết quả nổi bật:", RESULTS),
    ("Sau {n} tháng triển khai, {acommune} đã đạt được những kết quả quan trọng:", RESULTS),
]


LEADS = _lines("""
    Ngày {date}, {aorg} tổ chức {event} {atopic} năm {y}.
    Sáng {date}, tại {place}, {aorg} phối hợp với {org} tổ chức {event} {atopic}.
    Thực hiện {doc}, trong {period}, {acommune} đã tập trung triển khai nhiều giải pháp về {atopic}, {result}.
    Chiều {date}, {official} đã dẫn đầu đoàn công tác kiểm tra công tác {atopic} tại {acommune}.
    Những năm qua, {acommune} luôn xác định {atopic} là nhiệm vụ trọng tâm, thường xuyên.
""")

# ------------------------------------------------------------------------------------------------
# Filling templates
# ------------------------------------------------------------------------------------------------


def _dotted(n: int) -> str:
    """Vietnamese thousands separator: 12345 → ``12.345``."""
    return f"{n:,}".replace(",", ".")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


_LISTS = {  # slots filled by a plain choice from one list
    "org": ORGS,
    "org2": ORGS,
    "commune": COMMUNES,
    "group": GROUPS,
    "task": TASKS,
    "result": RESULTS,
    "difficulty": DIFFICULTIES,
    "model": MODELS,
    "project": PROJECTS,
    "facility": FACILITIES,
    "facility2": FACILITIES,
    "place": PLACES,
    "adv": ADVERBS,
    "quote": QUOTES,
    "event": EVENTS,
    "local_position": LOCAL_POSITIONS,
}


@dataclass(frozen=True)
class Subject:
    """What one article is about: the words that come back in its title and body."""

    category: str
    topic: str
    tag: str
    commune: str
    org: str
    village: str
    year: int
    month: int


class Filler:
    """Fills ``{slot}`` holes from the vocabulary with one article's random generator.

    ``{Slot}`` is the same as ``{slot}`` with its first letter capitalised; slots starting with
    ``a`` (``atopic``, ``acommune``, ``aorg``) are the article's own subject, repeated throughout.
    """

    _HOLE = re.compile(r"\{(\w+)\}")

    def __init__(self, rng: random.Random, subject: Subject) -> None:
        self.rng = rng
        self.s = subject

    def fill(self, template: str) -> str:
        return self._HOLE.sub(self._replace, template)

    def _replace(self, match: re.Match) -> str:
        name = match.group(1)
        value = self.slot(name.lower())
        return _capitalise(value) if name[0].isupper() else value

    def slot(self, name: str) -> str:
        """The text for one hole; ``KeyError`` for a slot no list provides."""
        s = self.s
        own = {"atopic": s.topic, "acommune": s.commune, "aorg": s.org, "m": str(s.month)}
        own |= {"y": str(s.year), "py": str(s.year - 1), "ny": str(s.year + 1)}
        if name in own:
            return own[name]
        if name in _LISTS:
            return self.rng.choice(_LISTS[name])
        return getattr(self, "_" + name)()

    def _village(self) -> str:  # mostly the article's own village
        return self.s.village if self.rng.random() < 0.6 else self.rng.choice(VILLAGES)

    def _n(self) -> str:
        return str(self.rng.randint(2, 40))

    def _n2(self) -> str:
        return str(self.rng.randint(5, 60))

    def _mid(self) -> str:
        return _dotted(self.rng.randint(50, 2500))

    def _big(self) -> str:
        return _dotted(self.rng.randint(800, 95000))

    def _pct(self) -> str:
        return f"{self.rng.randint(62, 99)},{self.rng.randint(0, 9)}%"

    def _pct2(self) -> str:
        return f"{self.rng.randint(30, 95)}%"

    def _money(self) -> str:
        return f"{self.rng.randint(1, 180)},{self.rng.randint(1, 9)} tỷ đồng"

    def _acommune_name(self) -> str:
        return self.s.commune.removeprefix("xã ").removeprefix("thị trấn ")

    def _person(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLES)} {self.rng.choice(GIVENS)}"

    def _official(self) -> str:
        return f"đồng chí {self._person()}, {self.rng.choice(POSITIONS)}"

    def _date(self) -> str:
        return f"{self.rng.randint(1, 28)}/{self.rng.randint(1, 12)}/{self.s.year}"

    def _period(self) -> str:
        return self.fill(self.rng.choice(PERIODS))

    def _doc(self) -> str:
        kind, code, issuer = self.rng.choice(DOCUMENTS)
        year = self.s.year - self.rng.choice((0, 0, 0, 1, 2))
        text = f"{kind} số {self.rng.randint(5, 480)}/{code} ngày {self.rng.randint(1, 28)}/{self.rng.randint(1, 12)}/{year} của {issuer}"
        return f"*{text}*" if self.rng.random() < 0.35 else text


# ------------------------------------------------------------------------------------------------
# One article
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """An earlier article another one may link to."""

    year: int
    slug: str
    title: str
    category: str


@dataclass(frozen=True)
class Article:
    """One generated article; ``body`` holds ``\\0year/slug\\0`` where a link to an article goes."""

    title: str
    slug: str
    category: str
    date: datetime  # local time in Asia/Ho_Chi_Minh
    author: str
    source_unit: str
    tags: tuple[str, ...]
    summary: str
    body: str

    @property
    def ref(self) -> Ref:
        return Ref(self.date.year, self.slug, self.title, self.category)


YEAR_WEIGHTS = [1 + (year - FIRST_YEAR) ** 1.3 for year in range(FIRST_YEAR, LAST_YEAR + 1)]
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(rng: random.Random) -> datetime:
    """Newer years hold more articles (the portal grew); office hours are likelier."""
    year = rng.choices(range(FIRST_YEAR, LAST_YEAR + 1), YEAR_WEIGHTS)[0]
    month = rng.randint(1, 12)
    leap = month == 2 and year % 4 == 0
    day = rng.randint(1, _DAYS[month - 1] + leap)
    hour = rng.choice((7, 8, 8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16, 16, 17, 19, 20, 21))
    when = datetime(year, month, day, hour, rng.randrange(0, 60, 5))
    return when.replace(year=year + 10) if when >= SCHEDULED_FROM else when


SCHEDULED_FROM = datetime(2026, 11, 29)  # articles drawn from this day on are dated ten years later


def slugify(text: str, limit: int = 80) -> str:
    """ASCII file-name slug, cut at a dash: ``Đảng bộ xã Kim Lan`` → ``dang-bo-xa-kim-lan``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


class Corpus:
    """Makes articles one after the other; each depends only on the seed and the earlier ones."""

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.refs: list[Ref] = []
        self.by_category: dict[str, list[Ref]] = {}
        self.slugs: dict[int, set[str]] = {}  # year -> file names taken

    def article(self, index: int) -> Article:
        if index != len(self.refs):
            raise ValueError("articles are made in order")
        rng = random.Random(f"newsroom-bench:{self.seed}:{index}")
        article = self._make(rng)
        self.refs.append(article.ref)
        self.by_category.setdefault(article.category, []).append(article.ref)
        return article

    def _make(self, rng: random.Random) -> Article:
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        tag, topic = TOPICS[rng.choice(CATEGORY_TOPICS[category])] if rng.random() < 0.8 else rng.choice(TOPICS)
        when = _date(rng)
        subject = Subject(
            category=category,
            topic=topic,
            tag=tag,
            commune=rng.choice(COMMUNES),
            org=rng.choice(ORGS),
            village=rng.choice(VILLAGES),
            year=when.year,
            month=when.month,
        )
        fill = Filler(rng, subject)
        title = _capitalise(fill.fill(rng.choice(TITLES[category])))
        author = rng.choices(AUTHORS, [max(1, 10 - i // 3) for i in range(len(AUTHORS))])[0]
        unit = rng.choices([u for u, _ in SOURCE_UNITS], [w for _, w in SOURCE_UNITS])[0]
        tags = self._tags(rng, subject)
        summary = fill.fill(rng.choice(SUMMARIES))
        body = Body(rng, fill, self._link_targets(rng, category)).write(author, unit)
        return Article(title, self._slug(title, when.year), category, when, author, unit, tags, summary, body)

    def _tags(self, rng: random.Random, subject: Subject) -> tuple[str, ...]:
        tags = [subject.tag]
        if rng.random() < 0.5:
            tags.append(PLACE_TAGS[COMMUNES.index(subject.commune)])
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            extra = rng.choice(TOPICS)[0]
            if extra not in tags:
                tags.append(extra)
        return tuple(tags)

    def _link_targets(self, rng: random.Random, category: str) -> list[Ref]:
        """Up to three earlier articles, mostly of the same section, as editors link them."""
        if not self.refs or rng.random() < 0.35:
            return []
        targets = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            pool = self.by_category.get(category) if rng.random() < 0.7 else None
            targets.append(rng.choice(pool or self.refs))
        return targets

    def _slug(self, title: str, year: int) -> str:
        taken = self.slugs.setdefault(year, set())
        base = slugify(title) or "bai-viet"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug


LINK_MARK = "\0"
MIN_WORDS, MAX_WORDS = 300, 1500  # of a body
EXTRA_CHANCES = [("table", 0.3), ("image", 0.25), ("external", 0.45)]  # blocks not every article has


class Body:
    """The Markdown text of one article: lead, sections, list, quote, table, links, pictures."""

    def __init__(self, rng: random.Random, fill: Filler, targets: list[Ref]) -> None:
        self.rng = rng
        self.fill = fill.fill
        self.targets = list(targets)
        self.words = MIN_WORDS + int(rng.betavariate(1.6, 3.2) * (MAX_WORDS - MIN_WORDS))  # mostly 500-800
        self.decks: dict[int, list[str]] = {}

    def _deal(self, pool: list[str]) -> str:
        """Templates dealt like cards: none comes back before the whole pool has been used."""
        deck = self.decks.setdefault(id(pool), [])
        if not deck:
            deck += self.rng.sample(pool, len(pool))
        return deck.pop()

    def write(self, author: str, unit: str) -> str:
        """Lead, then paragraphs up to the length drawn, with every extra block placed among them."""
        rng = self.rng
        lead = f"**{self.fill(rng.choice(LEADS))}**"
        kinds = ["list", "quote"] + [k for k, chance in EXTRA_CHANCES if rng.random() < chance]
        extras = [self._extra(kind) for kind in kinds]
        count = _words(lead) + sum(_words(block) for block in extras)
        paragraphs = []
        while count < self.words or not paragraphs:
            paragraph = self._paragraph()
            if paragraphs and count + _words(paragraph) > MAX_WORDS - 120:  # room for links and byline
                break
            paragraphs.append(paragraph)
            count += _words(paragraph)
        for block in extras:
            paragraphs.insert(rng.randint(1, len(paragraphs)), block)  # never before the first paragraph
        blocks = [lead]
        for i, block in enumerate(paragraphs):
            if i and rng.random() < 0.3:
                blocks.append("## " + self.fill(self._deal(HEADINGS)))
            blocks.append(block)
        if self.targets:  # links not placed in the text go in a "read more" list
            items = [f"- [{t.title}]({LINK_MARK}{t.year}/{t.slug}{LINK_MARK})" for t in self.targets]
            blocks.append("*Xem thêm:*\n\n" + "\n".join(items))
        blocks.append(f"**{author}** - {unit}")
        return "\n\n".join(blocks) + "\n"

    def _paragraph(self) -> str:
        rng = self.rng
        sentences = [self.fill(self._deal(SENTENCES)) for _ in range(rng.randint(2, 6))]
        i = rng.randrange(len(sentences))
        if rng.random() < 0.2 and sentences[i].endswith("."):
            sentences[i] = f"**{sentences[i][:-1]}**."
        if self.targets and rng.random() < 0.3:
            target = self.targets.pop()
            link = f"[{target.title}]({LINK_MARK}{target.year}/{target.slug}{LINK_MARK})"
            sentences.append(f"Trước đó, Cổng thông tin điện tử huyện đã đưa tin {link}.")
        return " ".join(sentences)

    def _extra(self, kind: str) -> str:
        return {
            "list": self._bullets,
            "quote": self._quote,
            "table": self._table,
            "image": self._image,
            "external": self._external,
        }[kind]()

    def _bullets(self) -> str:
        rng = self.rng
        intro, pool = rng.choice(BULLET_INTROS)
        items = [f"- {_capitalise(self.fill(item))};" for item in rng.sample(pool, rng.randint(3, 6))]
        items[-1] = items[-1][:-1] + "."
        return self.fill(intro) + "\n\n" + "\n".join(items)

    def _quote(self) -> str:
        quote = self.fill("“{quote}”, {official} nhấn mạnh.")
        return f"> {_capitalise(quote)}"

    def _table(self) -> str:
        rng = self.rng
        metrics = rng.sample(TABLE_METRICS, 2)
        rows = [f"| Đơn vị | {metrics[0][0]} | {metrics[1][0]} |", "| --- | ---: | ---: |"]
        for commune in rng.sample(COMMUNES, rng.randint(4, 8)):
            values = [self.fill("{" + kind + "}") for _, kind in metrics]
            rows.append(f"| {_capitalise(commune)} | {values[0]} | {values[1]} |")
        intro = self.fill("Kết quả cụ thể tại một số địa phương trong {period}:")
        return intro + "\n\n" + "\n".join(rows)

    def _image(self) -> str:
        rng = self.rng
        caption = self.fill(
            rng.choice(("Quang cảnh {event} {atopic}", "Các đại biểu tham quan {place}", "{Official} phát biểu"))
        )
        name = f"anh-{rng.randint(1000, 99999)}.jpg"
        return f"![{caption}](images/{name})\n*{caption}. Ảnh: {rng.choice(AUTHORS)}*"

    def _external(self) -> str:
        text, url = self.rng.choice(EXTERNAL_LINKS)
        return self.fill(
            f"Thông tin chi tiết về {{atopic}} được đăng tải trên [{text}]({url}); người dân có thể tra cứu, phản ánh, kiến nghị trực tuyến."
        )


def _words(text: str) -> int:
    return len(text.split())


# ------------------------------------------------------------------------------------------------
# Writing files
# ------------------------------------------------------------------------------------------------


def _q(value) -> str:
    """A YAML double-quoted scalar (or flow list): JSON is valid YAML for these."""
    return json.dumps(value, ensure_ascii=False)


def _links(body: str, make: Callable[[int, str], str]) -> str:
    return re.sub(f"{LINK_MARK}(\\d+)/([a-z0-9-]+){LINK_MARK}", lambda m: make(int(m.group(1)), m.group(2)), body)


def native_text(a: Article) -> str:
    head = [
        "---",
        f"title: {_q(a.title)}",
        f"category: {_q(a.category)}",
        f"date: {a.date:%Y-%m-%d %H:%M}",
        f"author: {_q(a.author)}",
        f"source_unit: {_q(a.source_unit)}",
        f"tags: {_q(list(a.tags))}",
        f"summary: {_q(a.summary)}",
        "---",
    ]
    return "\n".join(head) + "\n" + _links(a.body, lambda year, slug: f"../{year}/{slug}.md")


def hugo_text(a: Article) -> str:
    head = [
        "---",
        f"title: {_q(a.title)}",
        f"date: {a.date:%Y-%m-%dT%H:%M:00}+07:00",
        f"categories: {_q([a.category])}",
        f"tags: {_q(list(a.tags))}",
        f"author: {_q(a.author)}",
        f"source_unit: {_q(a.source_unit)}",
        f"summary: {_q(a.summary)}",
        "---",
    ]
    return "\n".join(head) + "\n" + _links(a.body, _relref)


def _relref(year: int, slug: str) -> str:
    return f'{{{{< relref "/posts/{year}/{slug}.md" >}}}}'


def pelican_text(a: Article) -> str:
    head = [
        f"Title: {a.title}",
        f"Date: {a.date:%Y-%m-%d %H:%M}",
        f"Category: {a.category}",
        f"Tags: {', '.join(a.tags)}",
        f"Author: {a.author}",
        f"Summary: {a.summary}",
        f"Slug: {a.slug}",
        f"Source_unit: {a.source_unit}",
    ]
    return "\n".join(head) + "\n\n" + _links(a.body, lambda year, slug: f"{{filename}}/{year}/{slug}.md")


def config_yaml() -> str:
    sections = "\n".join(f"  - {_q(name)}" for name, _ in CATEGORIES)
    return (
        "# Benchmark corpus written by bench/corpus.py; see bench/README.md.\n"
        f"title: {_q(SITE_TITLE + ' (bench)')}\n"
        f"description: {_q(SITE_DESCRIPTION)}\n"
        f"base_url: {_q(BASE_URL)}\n"
        "language: vi\n"
        "timezone: Asia/Ho_Chi_Minh\n"
        "per_page: 20\n"
        f"categories:\n{sections}\n"
    )


def article_path(a: Article, fmt: str) -> str:
    return f"posts/{a.date.year}/{a.slug}.md" if fmt == "hugo" else f"{a.date.year}/{a.slug}.md"


WRITERS = {"native": native_text, "hugo": hugo_text, "pelican": pelican_text}


def generate(out: Path, count: int, seed: int = 1, fmt: str = "native") -> tuple[int, int]:
    """Write ``count`` articles under ``out/content`` (and ``out/config.yaml`` for native): (articles, words).

    Each article is written as soon as it is made and then dropped (article *i* needs only what
    the earlier ones left in ``Corpus``), so 100,000 articles take no more memory than 1,000.
    """
    content = out / "content"
    if content.exists():
        raise FileExistsError(f"{content} exists already: write the corpus into a new folder")
    corpus = Corpus(seed)
    write = WRITERS[fmt]
    folders: set[Path] = set()
    words = 0
    for i in range(count):
        a = corpus.article(i)
        path = content / article_path(a, fmt)
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(write(a), encoding="utf-8")
        words += _words(a.body)
    if fmt == "native":
        (out / "config.yaml").write_text(config_yaml(), encoding="utf-8")
    return count, words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (its content/ must not exist yet)")
    parser.add_argument("--articles", type=int, required=True, metavar="N", help="how many articles")
    parser.add_argument("--seed", type=int, default=1, help="another seed gives another corpus (default: 1)")
    parser.add_argument("--format", choices=FORMATS, default="native", help="native (newsroom), hugo or pelican")
    args = parser.parse_args(argv)
    try:
        made, words = generate(args.out, args.articles, args.seed, args.format)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {made} articles ({words:,} words) in {args.format} format to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
