"""The demo's help centre: a few categories and articles in two languages (English and Arabic
for Nour Electronics, English and Persian for the Persian demo organisation), one draft and one
archived article, and the last 30 days of visits and answers; a quarter of those days' web-form
interactions are linked as sent through an article's "contact us" a few minutes into a visit (no
interaction is added, so the demo's counts stay), so the FAQ metrics and the "articles to
rewrite" page show something.

The story: most visitors find their answer; the warranty article is vague about what the
warranty covers, so it collects "no" answers and contacts — the one to rewrite.
Deterministic: seeded per organisation.
"""

import datetime as dt
import random

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Interaction
from goaldesk.knowledge.models import Article
from goaldesk.knowledge.services import (
    article_create,
    article_state_set,
    article_translation_save,
    category_save,
    contact_link,
    page_view_record,
    vote_record,
)

# category key → names
CATEGORIES = {
    "orders": {"en": "Orders and delivery", "ar": "الطلبات والتوصيل", "fa": "سفارش و ارسال"},
    "returns": {"en": "Returns and repairs", "ar": "الإرجاع والإصلاح", "fa": "مرجوعی و تعمیر"},
    "payment": {"en": "Payment", "ar": "الدفع", "fa": "پرداخت"},
}

#: (key, category, state, chance a reader answers "yes", {language: (title, Markdown)})
ARTICLES = [
    (
        "track",
        "orders",
        "published",
        0.85,
        {
            "en": (
                "Where is my order?",
                "Every order gets a **tracking number** by text message once it leaves our warehouse.\n\n1. Open the message and tap the link.\n2. Or enter the number on the courier's site.\n\nMost orders arrive within **two working days** in the city and four elsewhere.",
            ),
            "ar": (
                "أين طلبي؟",
                "يصلك **رقم التتبع** برسالة نصية فور خروج الطلب من مستودعنا.\n\n1. افتح الرسالة واضغط على الرابط.\n2. أو أدخل الرقم في موقع شركة الشحن.\n\nتصل معظم الطلبات خلال **يومَي عمل** داخل المدينة وأربعة أيام خارجها.",
            ),
            "fa": (
                "سفارش من کجاست؟",
                "وقتی سفارش از انبار ما خارج شود، **کد رهگیری** با پیامک برایتان می‌آید.\n\n1. پیامک را باز کنید و روی پیوند بزنید.\n2. یا کد را در سایت شرکت پست وارد کنید.\n\nبیشتر سفارش‌ها در شهر تا **دو روز کاری** و در شهرهای دیگر تا چهار روز می‌رسند.",
            ),
        },
    ),
    (
        "change_address",
        "orders",
        "published",
        0.75,
        {
            "en": (
                "Can I change the delivery address?",
                "Yes, as long as the order has not left the warehouse. Use **Contact us** below and give the order number and the new address.",
            ),
            "ar": (
                "هل يمكنني تغيير عنوان التوصيل؟",
                "نعم، ما دام الطلب لم يغادر المستودع. استخدم **اتصل بنا** أدناه واذكر رقم الطلب والعنوان الجديد.",
            ),
            "fa": (
                "می‌توانم نشانی ارسال را عوض کنم؟",
                "بله، تا وقتی سفارش از انبار خارج نشده است. از **تماس با ما** در پایین صفحه شماره سفارش و نشانی تازه را بفرستید.",
            ),
        },
    ),
    (
        "returns",
        "returns",
        "published",
        0.8,
        {
            "en": (
                "Returning a product",
                "You may return a product within **14 days** of delivery if it is unused and in its box.\n\n- Bring it to any of our shops, or\n- book a free pick-up from your order page.\n\nThe refund reaches your card within 5 working days of our check.",
            ),
            "ar": (
                "إرجاع منتج",
                "يمكنك إرجاع المنتج خلال **14 يومًا** من التسليم إذا كان غير مستعمل وفي علبته.\n\n- أحضره إلى أي من متاجرنا، أو\n- احجز استلامًا مجانيًا من صفحة طلبك.\n\nيصل المبلغ إلى بطاقتك خلال 5 أيام عمل بعد الفحص.",
            ),
            "fa": (
                "پس دادن کالا",
                "اگر کالا استفاده نشده و در جعبه‌اش باشد، تا **۱۴ روز** پس از تحویل می‌توانید آن را پس بدهید.\n\n- آن را به یکی از فروشگاه‌های ما بیاورید، یا\n- از صفحهٔ سفارش، جمع‌آوری رایگان را درخواست کنید.\n\nپول تا ۵ روز کاری پس از بررسی به کارت شما برمی‌گردد.",
            ),
        },
    ),
    (
        "warranty",
        "returns",
        "published",
        0.35,
        {
            "en": (
                "Warranty repairs",
                "Our products come with a warranty. If something stops working, bring it to a shop and we will look at it.",
            ),
            "ar": (
                "الإصلاح ضمن الضمان",
                "منتجاتنا مشمولة بالضمان. إذا توقف شيء عن العمل، أحضره إلى المتجر وسنفحصه.",
            ),
            "fa": (
                "تعمیر در دورهٔ گارانتی",
                "کالاهای ما گارانتی دارند. اگر چیزی کار نکرد، آن را به فروشگاه بیاورید تا بررسی کنیم.",
            ),
        },
    ),
    (
        "payment",
        "payment",
        "published",
        0.9,
        {
            "en": (
                "Ways to pay",
                "We accept cards, bank transfer and cash on delivery (up to 2,000 for one order). Instalments are offered on orders over 1,500.",
            ),
            "ar": (
                "طرق الدفع",
                "نقبل البطاقات والتحويل المصرفي والدفع عند الاستلام (حتى 2000 للطلب الواحد). ويتاح التقسيط للطلبات التي تزيد على 1500.",
            ),
            "fa": (
                "روش‌های پرداخت",
                "کارت بانکی، واریز به حساب و پرداخت در محل (تا سقف ۲٬۰۰۰ برای هر سفارش) را می‌پذیریم. خرید اقساطی برای سفارش‌های بالای ۱٬۵۰۰ ممکن است.",
            ),
        },
    ),
    (
        "gift_cards",
        "payment",
        "draft",
        0.0,
        {
            "en": (
                "Gift cards (coming soon)",
                "Gift cards will be sold in our shops from next month.",
            )
        },
    ),
    (
        "old_sale",
        "payment",
        "archived",
        0.0,
        {"en": ("Spring sale prices", "The spring sale has ended.")},
    ),
]

#: article key → language → notes readers leave with a "no" (the warranty's are the telling ones).
MISSING = {
    "warranty": {
        "en": [
            "Which faults does the warranty cover?",
            "How long is the warranty?",
            "Can I send it by post?",
        ],
        "ar": ["ما الأعطال التي يشملها الضمان؟", "كم مدة الضمان؟"],
        "fa": ["گارانتی چه خرابی‌هایی را پوشش می‌دهد؟", "مدت گارانتی چقدر است؟"],
    },
    "track": {
        "en": ["My tracking number does not work."],
        "ar": ["رقم التتبع لا يعمل."],
        "fa": ["کد رهگیری کار نمی‌کند."],
    },
    "returns": {
        "en": ["What if the box is already thrown away?"],
        "ar": ["ماذا لو تخلصت من العلبة؟"],
        "fa": ["اگر جعبه را دور انداخته باشم چه؟"],
    },
}


def knowledge_demo_build(
    *, organisation: Organisation, today: dt.date, languages: tuple[str, str], seed: int
) -> None:
    """The help centre of `organisation` in `languages` and the 30 days of its use before today."""
    rng = random.Random(f"knowledge-{organisation.slug}-{seed}")
    categories = {
        key: category_save(
            organisation=organisation,
            names={code: names[code] for code in languages},
            position=position,
        )
        for position, (key, names) in enumerate(CATEGORIES.items())
    }
    published: list[tuple[Article, float, str]] = []
    start = dt.datetime.combine(today - dt.timedelta(days=45), dt.time(9), organisation.tzinfo)
    for key, category, state, yes_rate, texts in ARTICLES:
        article = article_create(
            organisation=organisation,
            user=None,
            category=categories[category],
            at=start - dt.timedelta(days=2),
        )
        for code in languages:
            if code in texts:
                title, body = texts[code]
                article_translation_save(
                    article=article, language=code, title=title, body=body, user=None
                )
        if state != "draft":
            article_state_set(article=article, state="published", user=None, at=start)
        if state == "archived":
            article_state_set(
                article=article, state="archived", user=None, at=start + dt.timedelta(days=20)
            )
        if state == "published":
            published.append((article, yes_rate, key))

    weights = [5, 2, 4, 3, 3][: len(published)]
    per_day = 24 if organisation.language == "en" else 10
    for days_ago in range(30, 0, -1):  # up to yesterday: nothing in the future
        day = today - dt.timedelta(days=days_ago)
        for n in range(rng.randint(per_day // 2, per_day)):
            visitor = f"demo{day:%j}{n:03d}{rng.randrange(10**6):06d}"
            language = languages[0] if rng.random() < 0.55 else languages[1]
            at = dt.datetime.combine(
                day, dt.time(rng.randint(8, 21), rng.randrange(60)), organisation.tzinfo
            )
            page_view_record(
                organisation=organisation, visitor_key=visitor, language=language, at=at
            )
            for _read in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
                at += dt.timedelta(minutes=rng.randint(1, 12))
                article, yes_rate, key = rng.choices(published, weights=weights)[0]
                page_view_record(
                    organisation=organisation,
                    visitor_key=visitor,
                    article=article,
                    language=language,
                    at=at,
                )
                if rng.random() < 0.45:
                    helpful = rng.random() < yes_rate
                    missing = ""
                    notes = MISSING.get(key, {}).get(language)
                    if not helpful and notes and rng.random() < 0.5:
                        missing = rng.choice(notes)
                    vote_record(
                        article=article,
                        language=language,
                        visitor_key=visitor,
                        helpful=helpful,
                        missing=missing,
                        at=at + dt.timedelta(minutes=1),
                    )

    # The web-form interactions of the last 30 days: a quarter came through "contact us" after
    # reading an article (mostly the vague warranty article), a few minutes into a visit.
    since = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(0), organisation.tzinfo)
    until = dt.datetime.combine(today, dt.time(0), organisation.tzinfo)
    contact_weights = [1 if yes_rate >= 0.5 else 8 for _a, yes_rate, _k in published]
    web = Interaction.objects.filter(
        organisation=organisation, channel="web", created_at__gte=since, created_at__lt=until
    ).order_by("created_at", "pk")
    for interaction in web:
        if rng.random() >= 0.25:
            continue
        visitor = f"democontact{interaction.pk}"
        language = languages[0] if rng.random() < 0.55 else languages[1]
        article, _yes, _key = rng.choices(published, weights=contact_weights)[0]
        page_view_record(
            organisation=organisation, visitor_key=visitor, article=article, language=language,
            at=interaction.created_at - dt.timedelta(minutes=rng.randint(2, 9)),
        )  # fmt: skip
        if rng.random() < 0.5:
            vote_record(
                article=article, language=language, visitor_key=visitor, helpful=False,
                at=interaction.created_at - dt.timedelta(minutes=1),
            )  # fmt: skip
        contact_link(
            interaction=interaction, article=article, language=language, visitor_key=visitor
        )
