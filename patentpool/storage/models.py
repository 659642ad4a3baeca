"""SQLAlchemy 2 table models of the register. The core never imports this module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AllianceRow(Base):
    __tablename__ = "alliance"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    #: a sample register with invented figures: its reports say so on every page
    illustrative: Mapped[bool] = mapped_column(Boolean, server_default=false())


class MemberRow(Base):
    __tablename__ = "members"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    joined: Mapped[dt.date | None] = mapped_column(Date)


class MemberAliasRow(Base):
    __tablename__ = "member_aliases"
    member_id: Mapped[str] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    alias: Mapped[str] = mapped_column(String(300), primary_key=True)


class StandardRow(Base):
    __tablename__ = "standards"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))


class VersionRow(Base):
    __tablename__ = "standard_versions"
    standard_id: Mapped[str] = mapped_column(
        ForeignKey("standards.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    published: Mapped[dt.date | None] = mapped_column(Date)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)


class SectionRow(Base):
    __tablename__ = "version_sections"
    __table_args__ = (
        ForeignKeyConstraint(
            ["standard_id", "version_id"],
            ["standard_versions.standard_id", "standard_versions.id"],
            ondelete="CASCADE",
        ),
    )
    standard_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    section: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PatentRow(Base):
    __tablename__ = "patents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(4))
    number: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str | None] = mapped_column(String(4))
    owner_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    family: Mapped[str | None] = mapped_column(String(64), index=True)
    filing_date: Mapped[dt.date] = mapped_column(Date)
    grant_date: Mapped[dt.date | None] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)


class ValidationRow(Base):
    """A state where a European patent was validated."""

    __tablename__ = "patent_validations"
    patent_id: Mapped[int] = mapped_column(
        ForeignKey("patents.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)


class DeclarationRow(Base):
    __tablename__ = "declarations"
    __table_args__ = (
        UniqueConstraint("patent_id", "standard_id", "version_id"),
        ForeignKeyConstraint(
            ["standard_id", "version_id"],
            ["standard_versions.standard_id", "standard_versions.id"],
        ),
        Index("ix_declarations_version", "standard_id", "version_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patent_id: Mapped[int] = mapped_column(ForeignKey("patents.id", ondelete="CASCADE"))
    standard_id: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[str] = mapped_column(String(64))
    section: Mapped[str | None] = mapped_column(String(200))
    essentiality: Mapped[str] = mapped_column(String(16))
    evaluator: Mapped[str | None] = mapped_column(String(300))
    evaluated_on: Mapped[dt.date | None] = mapped_column(Date)
    declared_on: Mapped[dt.date | None] = mapped_column(Date)
    frand: Mapped[bool | None] = mapped_column(Boolean)  # prepared to license on FRAND terms
    reciprocity: Mapped[bool | None] = mapped_column(Boolean)  # ... on condition of reciprocity


class PatentEventRow(Base):
    """One dated event of a patent (core/events.py): true from ``date``, recorded on
    ``recorded`` by the import ``import_id``."""

    __tablename__ = "patent_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patent_id: Mapped[int] = mapped_column(ForeignKey("patents.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    standard_id: Mapped[str | None] = mapped_column(String(64))
    version_id: Mapped[str | None] = mapped_column(String(64))
    essentiality: Mapped[str | None] = mapped_column(String(16))
    evaluator: Mapped[str | None] = mapped_column(String(300))
    expiry: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded: Mapped[dt.date | None] = mapped_column(Date)


class ImportRow(Base):
    """One successful ``patentpool import``: when, which files, what changed."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    files: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)


class ChangeRow(Base):
    """One change to the register, for ``patentpool history``."""

    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


# --- Licensing (schema revision 0002) ----------------------------------------------------


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals stored as text, so SQLite keeps every digit (its NUMERIC is a float)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format(value, "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class LicenseeRow(Base):
    __tablename__ = "licensees"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    group_id: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    member: Mapped[bool] = mapped_column(Boolean, default=False)
    signed: Mapped[dt.date | None] = mapped_column(Date)
    good_standing: Mapped[bool] = mapped_column(Boolean, default=False)


class ProgramRow(Base):
    """A licensing programme; its rate schedules are kept as the canonical JSON of the file."""

    __tablename__ = "programs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    standard_id: Mapped[str] = mapped_column(ForeignKey("standards.id"))
    currency: Mapped[str] = mapped_column(String(3))
    spec: Mapped[str] = mapped_column(Text)


class SalesReportRow(Base):
    """One licensee's report for one programme and period; corrections add a revision."""

    __tablename__ = "sales_reports"
    __table_args__ = (
        UniqueConstraint("program_id", "licensee_id", "period", "revision"),
        Index("ix_sales_reports_current", "program_id", "period", "current"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    licensee_id: Mapped[str] = mapped_column(ForeignKey("licensees.id"))
    period: Mapped[str] = mapped_column(String(6))
    revision: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    checksum: Mapped[str] = mapped_column(String(64))
    lines: Mapped[int] = mapped_column(BigInteger, server_default="0")  # its sales lines
    units: Mapped[int] = mapped_column(BigInteger, server_default="0")  # their units
    # the import that brought this revision (when, which files) and who ran it (the OS
    # user); None for the revisions imported before schema revision 0006
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    imported_by: Mapped[str | None] = mapped_column(String(200))


class SalesLineRow(Base):
    __tablename__ = "sales_lines"
    # a report's lines are read in this order, by walking the index (no sort at each read)
    __table_args__ = (Index("ix_sales_lines_report_line", "report_id", "line", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("sales_reports.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    country_of_sale: Mapped[str] = mapped_column(String(2))
    country_of_manufacture: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(64))
    units: Mapped[int] = mapped_column(BigInteger)
    net_sales: Mapped[Decimal | None] = mapped_column(DecimalText)
    currency: Mapped[str | None] = mapped_column(String(3))  # None: the programme's


class PaymentRow(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("program_id", "licensee_id", "period", "received", "amount"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    licensee_id: Mapped[str] = mapped_column(ForeignKey("licensees.id"))
    period: Mapped[str] = mapped_column(String(6))
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    received: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    invoice: Mapped[str | None] = mapped_column(String(40))  # the invoice it names, if any
    currency: Mapped[str | None] = mapped_column(String(3))  # when received in another one
    received_amount: Mapped[Decimal | None] = mapped_column(DecimalText)  # in ``currency``
    fx: Mapped[str | None] = mapped_column(Text)  # the day's rate that converted it


class DistributionRunRow(Base):
    """A frozen distribution: never updated once written; a changed input makes a revision."""

    __tablename__ = "distribution_runs"
    __table_args__ = (UniqueConstraint("program_id", "period", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    period: Mapped[str] = mapped_column(String(6))
    revision: Mapped[int] = mapped_column(Integer)
    policy: Mapped[str] = mapped_column(String(64))
    params: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(String(16))
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[str] = mapped_column(Text)
    inputs: Mapped[str] = mapped_column(Text)


class DistributionRunReportRow(Base):
    """A sales report revision a distribution run was computed from: once a correction
    replaces it, the run is superseded by that correction (until a new run of the period)."""

    __tablename__ = "distribution_run_reports"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("distribution_runs.id", ondelete="CASCADE"), primary_key=True
    )
    report_id: Mapped[int] = mapped_column(ForeignKey("sales_reports.id"), primary_key=True)


class QuarterTotalsRow(Base):
    """A quarter's royalty totals, kept under the checksum of everything they were priced from,
    so that distributions of an unchanged quarter do not price its sales again."""

    __tablename__ = "quarter_totals"
    __table_args__ = (UniqueConstraint("program_id", "period", "inputs_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    period: Mapped[str] = mapped_column(String(6))
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    total_due: Mapped[Decimal] = mapped_column(DecimalText)
    by_country: Mapped[str] = mapped_column(Text)
    priced_lines: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# --- The portal's accounts (schema revision 0010) -------------------------------------------


class UserRow(Base):
    """A portal user: its role and the member or licensee it is bound to."""

    __tablename__ = "portal_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    member_id: Mapped[str | None] = mapped_column(String(64))
    licensee_id: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie's id, and its CSRF token."""

    __tablename__ = "portal_sessions"
    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("portal_users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TokenRow(Base):
    """An API token: only its SHA-256 is kept."""

    __tablename__ = "portal_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("portal_users.id", ondelete="CASCADE"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, server_default=false())


class LoginRow(Base):
    """One login attempt, failed or not: the audit log and the throttle's memory."""

    __tablename__ = "portal_logins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)


class PortalEventRow(Base):
    """A state change made through the portal or to its users, with who made it."""

    __tablename__ = "portal_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)


# --- The quarter's books (schema revision 0011) ------------------------------------------


class ReportAcceptanceRow(Base):
    """A sales report revision accepted by staff; a revision without a row is submitted."""

    __tablename__ = "report_acceptances"
    report_id: Mapped[int] = mapped_column(ForeignKey("sales_reports.id"), primary_key=True)
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)  # why a correction replaced an accepted one


class RunStatusRow(Base):
    """A step of a distribution run's life after ``draft``: ``approved``, then ``published``
    (with the run it supersedes and why). Rows are only added; the run itself never changes."""

    __tablename__ = "run_status"
    __table_args__ = (UniqueConstraint("run_id", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("distribution_runs.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str | None] = mapped_column(String(200))
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("distribution_runs.id"))
    reason: Mapped[str | None] = mapped_column(Text)


class InvoiceRow(Base):
    """An invoice or credit note: numbered without gaps per programme and year, never changed."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("program_id", "year", "sequence"),
        UniqueConstraint("number"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))  # "invoice" or "credit note"
    credits: Mapped[str | None] = mapped_column(String(40))  # the invoice a credit note cancels
    licensee_id: Mapped[str] = mapped_column(ForeignKey("licensees.id"), index=True)
    period: Mapped[str] = mapped_column(String(6))
    issued: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3))
    late_interest: Mapped[str] = mapped_column(String(40))
    basis: Mapped[str] = mapped_column(Text)  # JSON: the report revisions and rates invoiced
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FxRateRow(Base):
    """A reference rate: how many units of ``currency`` one euro bought on ``day``."""

    __tablename__ = "fx_rates"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(DecimalText)
    source: Mapped[str] = mapped_column(Text)  # the file it was imported from


class ReportFxRow(Base):
    """The rate chosen at import that converts a report's net sales in ``currency`` into the
    programme's ``target``: exact (``rate`` is a fraction ``n/d``), by ``rule``, from the rates
    published on ``day`` (or averaged from ``first_day`` to ``day``), as ``source`` names."""

    __tablename__ = "report_fx"
    report_id: Mapped[int] = mapped_column(
        ForeignKey("sales_reports.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    target: Mapped[str] = mapped_column(String(3))
    rate: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(16))
    day: Mapped[dt.date | None] = mapped_column(Date)
    first_day: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
