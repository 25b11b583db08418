"""Russian people for the demo college: surnames from faker's ru_RU lists, first names by
generation, patronymics derived from the father's name, valid phones and e-mails.

Faker's ru_RU first names include many archaic ones (Евпраксия, Автоном) that no student born
around 2010 has, so first names come from the curated lists below (the popular names of each
generation); surnames come from faker's ru_RU lists, whose male and female forms are aligned
(Смирнов ↔ Смирнова), so a family keeps one surname in the right gender for each member.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker
from faker.providers.person.ru_RU import Provider as RuPersonProvider

from kernel.logins import transliterate

# Male first names of the parents' and teachers' generation with both patronymics.
FATHERS: tuple[tuple[str, str, str], ...] = (
    ("Александр", "Александрович", "Александровна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Павел", "Павлович", "Павловна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Вадим", "Вадимович", "Вадимовна"),
    ("Роман", "Романович", "Романовна"),
    ("Денис", "Денисович", "Денисовна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Анатолий", "Анатольевич", "Анатольевна"),
    ("Валерий", "Валерьевич", "Валерьевна"),
    ("Василий", "Васильевич", "Васильевна"),
    ("Виталий", "Витальевич", "Витальевна"),
    ("Вячеслав", "Вячеславович", "Вячеславовна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"),
    ("Григорий", "Григорьевич", "Григорьевна"),
    ("Леонид", "Леонидович", "Леонидовна"),
    ("Пётр", "Петрович", "Петровна"),
    ("Станислав", "Станиславович", "Станиславовна"),
    ("Руслан", "Русланович", "Руслановна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Кирилл", "Кириллович", "Кирилловна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Борис", "Борисович", "Борисовна"),
    ("Эдуард", "Эдуардович", "Эдуардовна"),
    ("Аркадий", "Аркадьевич", "Аркадьевна"),
    ("Валентин", "Валентинович", "Валентиновна"),
    ("Степан", "Степанович", "Степановна"),
    ("Тимур", "Тимурович", "Тимуровна"),
    ("Георгий", "Георгиевич", "Георгиевна"),
)

ADULT_FEMALE: tuple[str, ...] = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия", "Анна", "Марина",
    "Екатерина", "Оксана", "Галина", "Людмила", "Надежда", "Лариса", "Валентина", "Любовь",
    "Вера", "Евгения", "Анастасия", "Мария", "Нина", "Жанна", "Алла", "Инна", "Виктория",
    "Маргарита", "Дарья", "Ксения", "Александра", "Лидия", "Тамара", "Раиса", "Кристина",
)

YOUNG_MALE: tuple[str, ...] = (
    "Артём", "Максим", "Александр", "Дмитрий", "Даниил", "Кирилл", "Никита", "Иван", "Михаил",
    "Егор", "Матвей", "Андрей", "Илья", "Алексей", "Роман", "Сергей", "Владислав", "Ярослав",
    "Тимофей", "Арсений", "Денис", "Владимир", "Павел", "Глеб", "Константин", "Евгений",
    "Николай", "Степан", "Захар", "Тимур", "Марк", "Семён", "Фёдор", "Георгий", "Лев", "Антон",
    "Вадим", "Игорь", "Руслан", "Вячеслав", "Григорий", "Макар", "Артур", "Виктор",
    "Станислав", "Савелий", "Олег", "Данил", "Леонид", "Юрий", "Виталий", "Мирон", "Василий",
    "Всеволод", "Елисей", "Родион", "Платон", "Герман", "Тихон", "Богдан",
)

YOUNG_FEMALE: tuple[str, ...] = (
    "Анастасия", "Мария", "Дарья", "Анна", "Елизавета", "Полина", "Виктория", "Екатерина",
    "Софья", "Александра", "Ксения", "Алина", "Валерия", "Вероника", "Арина", "Варвара",
    "Ульяна", "Кристина", "Алиса", "Милана", "Ева", "Татьяна", "Юлия", "Диана", "Ангелина",
    "Маргарита", "Евгения", "Ольга", "Елена", "Василиса", "Ирина", "Светлана", "Яна",
    "Карина", "Олеся", "Надежда", "Таисия", "Кира", "Злата", "Эвелина",
)

MAIL_DOMAINS: tuple[str, ...] = ("mail.ru", "yandex.ru", "bk.ru", "inbox.ru", "list.ru",
                                 "gmail.com", "rambler.ru")


@dataclass(frozen=True)
class PersonName:
    """A full Russian name and the gender it is declined in."""

    surname: str
    name: str
    patronymic: str
    male: bool

    @property
    def full(self) -> str:
        """``Иванова Мария Алексеевна``."""
        return f"{self.surname} {self.name} {self.patronymic}".strip()

    @property
    def short(self) -> str:
        """``Иванова М. А.``."""
        tail = f" {self.patronymic[0]}." if self.patronymic else ""
        return f"{self.surname} {self.name[0]}.{tail}"


@dataclass(frozen=True)
class Family:
    """A family name in both genders and the father's first name (gives patronymics)."""

    surname_male: str
    surname_female: str
    father: tuple[str, str, str]

    def surname(self, male: bool) -> str:
        """The surname in the gender of a member."""
        return self.surname_male if male else self.surname_female


def _popular(rng: random.Random, names: tuple[str, ...]) -> str:
    """A name from a list ordered by popularity: earlier names come up more often."""
    index = int(len(names) * rng.random() ** 1.6)
    return names[min(index, len(names) - 1)]


class NameMaker:
    """Makes people deterministically from one random generator and one faker seed.

    Args:
        rng: The demo's random generator (all choices come from it).
        faker_seed: Seed of the ru_RU faker used for surnames and e-mail domains.
    """

    def __init__(self, rng: random.Random, faker_seed: int) -> None:
        self.rng = rng
        self.faker = Faker("ru_RU")
        self.faker.seed_instance(faker_seed)
        self._males = RuPersonProvider.last_names_male
        self._females = RuPersonProvider.last_names_female
        self._emails: set[str] = set()
        self._phones: set[str] = set()

    def family(self) -> Family:
        """A new family: surname in both genders and the father's name."""
        index = self.faker.random_int(0, len(self._males) - 1)
        return Family(self._males[index], self._females[index], self.rng.choice(FATHERS))

    def child(self, family: Family, *, male: bool) -> PersonName:
        """A student of the family (born around 2007–2011)."""
        first = _popular(self.rng, YOUNG_MALE if male else YOUNG_FEMALE)
        patronymic = family.father[1] if male else family.father[2]
        return PersonName(family.surname(male), first, patronymic, male)

    def father(self, family: Family) -> PersonName:
        """The family's father."""
        return PersonName(family.surname_male, family.father[0], self._patronymic(True), True)

    def mother(self, family: Family) -> PersonName:
        """The family's mother."""
        first = _popular(self.rng, ADULT_FEMALE)
        return PersonName(family.surname_female, first, self._patronymic(False), False)

    def adult(self, *, male: bool) -> PersonName:
        """A member of staff."""
        family = self.family()
        first = family.father[0] if male else _popular(self.rng, ADULT_FEMALE)
        return PersonName(family.surname(male), first, self._patronymic(male), male)

    def _patronymic(self, male: bool) -> str:
        entry = self.rng.choice(FATHERS)
        return entry[1] if male else entry[2]

    def birth_date(self, first_year: int, last_year: int) -> date:
        """A birth date between 1 January of ``first_year`` and 31 December of ``last_year``."""
        start = date(first_year, 1, 1)
        span = (date(last_year, 12, 31) - start).days
        return start + timedelta(days=self.rng.randint(0, span))

    def phone(self) -> str:
        """A unique mobile number ``+79XXXXXXXXX``."""
        while True:
            number = f"+79{self.rng.randint(0, 999_999_999):09d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def email(self, person: PersonName, year: int | None = None) -> str:
        """A unique personal e-mail built from the name."""
        base = f"{transliterate(person.name)}.{transliterate(person.surname)}"
        domain = MAIL_DOMAINS[self.faker.random_int(0, len(MAIL_DOMAINS) - 1)]
        suffix = "" if year is None else (f"{year % 100:02d}" if self.rng.random() < 0.5 else str(year))
        candidate = f"{base}{suffix}@{domain}"
        while candidate in self._emails:
            candidate = f"{base}{self.rng.randint(1, 999)}@{domain}"
        self._emails.add(candidate)
        return candidate
