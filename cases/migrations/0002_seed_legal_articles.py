"""Seed the articles of the Criminal Code (CC, 2014) and the Administrative Offences Code (AOC, 2014) that
peaceful protesters, journalists and critics are charged under (LegalArticle). `name_*` hold the article's
title; where a part defines its own act (CC 405), the part's row says which."""

from django.db import migrations

# The titles of CC 400 and AOC 488 are the ones in force since the 2020 Law on peaceful assemblies; before it
# they also named "meetings, rallies, marches, pickets and demonstrations". The parts seeded are the ones
# charges cite; add more parts in the admin when a case needs one.
# (code, law, article, part, name_en, name_ru, name_kk)
ARTICLES = (
    ("cc-174-1", "CC", "174", "1", "Inciting social, national, clan, racial, class or religious discord", "Возбуждение социальной, национальной, родовой, расовой, сословной или религиозной розни", "Әлеуметтік, ұлттық, рулық, нәсілдік, тектік-топтық немесе діни араздықты қоздыру"),
    ("cc-174-2", "CC", "174", "2", "Inciting social, national, clan, racial, class or religious discord", "Возбуждение социальной, национальной, родовой, расовой, сословной или религиозной розни", "Әлеуметтік, ұлттық, рулық, нәсілдік, тектік-топтық немесе діни араздықты қоздыру"),
    ("cc-179", "CC", "179", "", "Propaganda of or public calls for the seizure or retention of power, and the seizure or retention of power or violent change of the constitutional order", "Пропаганда или публичные призывы к захвату или удержанию власти, а равно захват или удержание власти либо насильственное изменение конституционного строя Республики Казахстан", "Билікті басып алуға немесе ұстап қалуға насихаттау немесе жария түрде шақыру, сол сияқты билікті басып алу немесе ұстап қалу не Қазақстан Республикасының конституциялық құрылысын күштеп өзгерту"),
    ("cc-274-1", "CC", "274", "1", "Dissemination of knowingly false information", "Распространение заведомо ложной информации", "Көрінеу жалған ақпарат тарату"),
    ("cc-274-2", "CC", "274", "2", "Dissemination of knowingly false information", "Распространение заведомо ложной информации", "Көрінеу жалған ақпарат тарату"),
    ("cc-378", "CC", "378", "", "Insulting a representative of authority", "Оскорбление представителя власти", "Билік өкілін қорлау"),
    ("cc-380", "CC", "380", "", "Use of violence against a representative of authority", "Применение насилия в отношении представителя власти", "Билік өкіліне қатысты күш қолдану"),
    ("cc-400", "CC", "400", "", "Violation of the procedure for organising and holding peaceful assemblies", "Нарушение порядка организации и проведения мирных собраний", "Бейбіт жиналыстарды ұйымдастыру және өткізу тәртібін бұзу"),
    ("cc-405-1", "CC", "405", "1", "Organising the activity of a public or religious association or other organisation after a court decision banning or dissolving it for extremism or terrorism", "Организация деятельности общественного или религиозного объединения либо иной организации после решения суда о запрещении их деятельности или ликвидации в связи с экстремизмом или терроризмом", "Экстремизмді немесе терроризмді жүзеге асыруына байланысты қызметіне тыйым салу немесе тарату туралы сот шешімінен кейін қоғамдық немесе діни бірлестіктің не өзге де ұйымның қызметін ұйымдастыру"),
    ("cc-405-2", "CC", "405", "2", "Participation in the activity of a public or religious association or other organisation after a court decision banning or dissolving it for extremism or terrorism", "Участие в деятельности общественного или религиозного объединения либо иной организации после решения суда о запрещении их деятельности или ликвидации в связи с экстремизмом или терроризмом", "Экстремизмді немесе терроризмді жүзеге асыруына байланысты қызметіне тыйым салу немесе тарату туралы сот шешімінен кейін қоғамдық немесе діни бірлестіктің не өзге де ұйымның қызметіне қатысу"),
    # Reports paraphrase petty hooliganism as "littering in public places, foul language and other actions
    # expressing disrespect for society" (Zhanaozen, February 2019).
    ("aoc-434", "AOC", "434", "", "Petty hooliganism", "Мелкое хулиганство", "Ұсақ бұзақылық"),
    ("aoc-453", "AOC", "453", "", "Production, storage, import, transport or distribution of media products and other products in the Republic of Kazakhstan", "Изготовление, хранение, ввоз, перевозка, распространение на территории Республики Казахстан продукции средств массовой информации и иной продукции", "Қазақстан Республикасының аумағында бұқаралық ақпарат құралдарының өнімін және өзге де өнімді дайындау, сақтау, әкелу, тасымалдау, тарату"),
    ("aoc-488-1", "AOC", "488", "1", "Violation of the legislation of the Republic of Kazakhstan on the procedure for organising and holding peaceful assemblies", "Нарушение законодательства Республики Казахстан о порядке организации и проведения мирных собраний", "Бейбіт жиналыстарды ұйымдастыру және өткізу тәртібі туралы Қазақстан Республикасының заңнамасын бұзу"),
    ("aoc-488-2", "AOC", "488", "2", "Violation of the legislation of the Republic of Kazakhstan on the procedure for organising and holding peaceful assemblies", "Нарушение законодательства Республики Казахстан о порядке организации и проведения мирных собраний", "Бейбіт жиналыстарды ұйымдастыру және өткізу тәртібі туралы Қазақстан Республикасының заңнамасын бұзу"),
    ("aoc-488-3", "AOC", "488", "3", "Violation of the legislation of the Republic of Kazakhstan on the procedure for organising and holding peaceful assemblies", "Нарушение законодательства Республики Казахстан о порядке организации и проведения мирных собраний", "Бейбіт жиналыстарды ұйымдастыру және өткізу тәртібі туралы Қазақстан Республикасының заңнамасын бұзу"),
    ("aoc-488-6", "AOC", "488", "6", "Violation of the legislation of the Republic of Kazakhstan on the procedure for organising and holding peaceful assemblies", "Нарушение законодательства Республики Казахстан о порядке организации и проведения мирных собраний", "Бейбіт жиналыстарды ұйымдастыру және өткізу тәртібі туралы Қазақстан Республикасының заңнамасын бұзу"),
    ("aoc-653", "AOC", "653", "", "Contempt of court", "Проявление неуважения к суду", "Сотқа құрметтемеушілік білдіру"),
    ("aoc-667", "AOC", "667", "", "Disobedience to a lawful order or demand of a law-enforcement officer", "Неповиновение законному распоряжению или требованию сотрудника правоохранительного органа", "Құқық қорғау органы қызметкерінің заңды өкіміне немесе талабына бағынбау"),
    ("aoc-669", "AOC", "669", "", "Failure to execute a court decision", "Неисполнение судебного акта", "Сот актісін орындамау"),
)


def seed_legal_articles(apps, schema_editor):
    LegalArticle = apps.get_model("cases", "LegalArticle")
    for code, law, number, part, name_en, name_ru, name_kk in ARTICLES:
        LegalArticle.objects.update_or_create(
            code=code,
            defaults={
                "law": law, "number": number, "part": part,
                "name_en": name_en, "name_ru": name_ru, "name_kk": name_kk,
            },
        )


def unseed_legal_articles(apps, schema_editor):
    LegalArticle = apps.get_model("cases", "LegalArticle")
    LegalArticle.objects.filter(code__in=[row[0] for row in ARTICLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_legal_articles, unseed_legal_articles),
    ]
