"""The composition root: builds the ledger, use cases, read models and follower once, for
the API, the CLI and the tests alike, from the case types declared in api/cases/."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from api.past import Past
from application.accounts import AccountService
from application.audit import AuditChain
from application.calendar import ChineseWorkingCalendar, DeadlinePolicy, WorkingDays
from application.calendar_sync import SyncResult, sync_calendar
from application.cases import CaseType, Context
from application.checkpoints import Signer, private_key
from application.context import Caller, Clock
from application.dashboard import Dashboard
from application.idempotency import IdempotencyRecords
from application.industries import Industries
from application.journal import Journal
from application.ledger import Ledger, build_ledger
from application.persistence import Database
from application.queries import Positions, Reads
from application.reporting import KeyReporting
from application.reports import ReportReaders, Reports
from application.settings import Settings
from application.store import Store
from application.units import Units
from domain.reporting import Schedule
from domain.shared import Role
from projections.base import Projection
from projections.complaint_stats import ComplaintStatsReader, UnitPerformanceReader
from projections.dashboard_reader import DashboardReader
from projections.follower import Follower
from projections.key_reporting import KeyReportingReader
from projections.project_stats import ProjectStatsReader
from projections.request_stats import RequestStatsReader
from projections.store import ViewStore
from projections.supervision import SupervisionItems
from projections.supervision_reader import SupervisionReader

CALENDAR_CALLER = Caller(account_id="system", name="calendar sync (工作日历)", role=Role.admin,
                         correlation_id="calendar-sync")
# Read models across case types (the supervision view gathers every unit's open items).
SHARED_PROJECTIONS = (SupervisionItems,)


def case_types() -> tuple[CaseType, ...]:
    """The declared case types (imported late: their modules import the routers, which
    import this module for the Container type)."""
    from api.cases import CASE_TYPES

    return CASE_TYPES


def all_projections(cases: Iterable[CaseType] | None = None) -> list[Projection]:
    made = [make() for case in cases or case_types() for make in case.projections]
    return [*made, *(make() for make in SHARED_PROJECTIONS)]


@dataclass
class Container:
    settings: Settings
    database: Database
    ledger: Ledger
    store: Store
    units: Units
    clock: Clock
    calendar: ChineseWorkingCalendar
    policy: DeadlinePolicy
    accounts: AccountService
    journal: Journal
    views: ViewStore
    follower: Follower
    reads: Reads
    reports: Reports
    idempotency: IdempotencyRecords
    reporting: KeyReporting  # 信息报送 of key projects, judged when read
    dashboard: Dashboard
    past: Past  # as-of reads of the projections (as_of=)
    audit: AuditChain  # 审计链: checkpoints and proofs
    services: dict[str, Any] = field(default_factory=dict)  # by CaseType.attribute
    following: bool = False

    def __getattr__(self, name: str) -> Any:
        """A case type's use cases by their attribute: `container.projects`."""
        services = self.__dict__.get("services", {})
        if name in services:
            return services[name]
        raise AttributeError(name)

    def start(self) -> None:
        """Follow projections inside this process when the settings say so (embedded mode)."""
        if self.settings.follows_in_process and not self.following:
            self.follower.catch_up()
            self.ledger.on_saved(self.follower.wake)
            self.follower.start(self.settings.poll_interval)
            self.following = True

    def sync_calendar(self) -> SyncResult:
        """Recompute provisional deadlines if the calendar data changed (see calendar_sync)."""
        today = self.clock.today()
        recomputing = [self.services[case.attribute] for case in case_types()
                       if case.recomputes_deadlines]
        return sync_calendar(self.store, self.calendar, CALENDAR_CALLER, recomputing,
                             range(2004, today.year + 3))

    @contextmanager
    def reading(self, given: Iterable[tuple[str, str]]
                ) -> Iterator[tuple[ReadSide, list[tuple[str, str]]]]:
        """Where a read of projections goes, and its query without `as_of`: the live read
        side, or with `as_of`, the read side as it stood at that moment, read as on that
        moment's date (overdue, nearly due and the reporting period count from it)."""
        moment, rest = self.past.moment(given)
        if moment is None:
            yield ReadSide(self.reads, self.reports, self.dashboard, self.reporting), rest
            return
        with self.clock.frozen(moment.astimezone(self.clock.zone).date()):
            yield replace(self.past.at(moment), moment=moment), rest

    def close(self) -> None:
        self.past.clear()
        if self.following:
            self.follower.stop()
            self.following = False
        self.views.close()
        self.ledger.close()


def view_store(settings: Settings, database: Database) -> ViewStore:
    """The read models' store: LEDGER_VIEWS_DATABASE_URL, else beside the event store."""
    views = Database.parse(settings.views_database_url or database.views_url())
    if views.kind == "postgres":
        return ViewStore(conninfo=views.conninfo(), pool_size=settings.postgres_pool_size,
                         timeout=settings.database_timeout)
    return ViewStore(sqlite_path=views.path if views.kind == "sqlite" else ":memory:")


def policy_of(settings: Settings) -> DeadlinePolicy:
    return DeadlinePolicy(**settings.model_dump(include=set(WorkingDays.model_fields)))


def build(settings: Settings | None = None, clock: Clock | None = None) -> Container:
    settings = settings or Settings()
    cases = case_types()
    database = Database.parse(settings.database_url)
    ledger = build_ledger(settings, database, [a for case in cases for a in case.aggregates])
    store = Store(ledger)
    units = Units.load(settings.units_file)
    clock = clock or Clock(settings.timezone, settings.earliest_business_date)
    calendar = ChineseWorkingCalendar(settings.calendar_overrides_file)
    deadlines = policy_of(settings)
    industries = Industries.load(settings.industries_file)
    views = view_store(settings, database)
    follower = Follower(ledger, views, all_projections(cases), settings.projection_batch_size)

    def side(views: ViewStore, positions: Positions, head: Callable[[], int]) -> ReadSide:
        return read_side(settings, cases, views, positions, head, clock, calendar, units,
                         industries)

    live = side(views, follower, ledger.head)
    review_units = tuple(units.require(code, "LEDGER_REVIEW_UNITS")
                         for code in settings.review_units)
    context = Context(store, units, clock, calendar, deadlines, live.reads, industries,
                      settings, review_units)
    return Container(
        settings=settings, database=database, ledger=ledger, store=store, units=units,
        clock=clock, calendar=calendar, policy=deadlines,
        accounts=AccountService(store, units), journal=Journal(ledger, cases),
        views=views, follower=follower, reads=live.reads, idempotency=IdempotencyRecords(store),
        reports=live.reports, reporting=live.reporting, dashboard=live.dashboard,
        past=Past(ledger, clock, side, lambda: all_projections(cases)),
        audit=AuditChain(ledger.recorder, Signer(private_key(settings.signing_key))
                         if settings.signing_key else None),
        services={case.attribute: case.service(context) for case in cases
                  if case.service is not None},
    )


@dataclass(frozen=True)
class ReadSide:
    """The reads of projections — ledgers, reports, the dashboard, 信息报送 — over one view
    store: the live one, or the past replayed for an as-of read (api/past.py)."""

    reads: Reads
    reports: Reports
    dashboard: Dashboard
    reporting: KeyReporting
    moment: datetime | None = None  # an as-of read's moment


def read_side(settings: Settings, cases: Iterable[CaseType], views: ViewStore,
              positions: Positions, head: Callable[[], int], clock: Clock,
              calendar: ChineseWorkingCalendar, units: Units, industries: Industries
              ) -> ReadSide:
    """Every reader over `views`, and the use cases reading them, at `positions`."""
    cases = tuple(cases)
    reads = Reads(head, positions, settings.wait_timeout, clock,
                  [query for case in cases for query in case.ledgers], calendar)
    for case in cases:
        for name, make_reader in case.readers.items():
            reads.readers[name] = make_reader(views)
    reporting = KeyReporting(KeyReportingReader(views), Schedule(
        settings.report_period, settings.report_due_workday, calendar), clock)
    reads.columns["projects"] = reporting  # the project ledger's 信息报送 columns
    reports = Reports(reads, ReportReaders(
        supervision=SupervisionReader(views, calendar),
        complaint_stats=ComplaintStatsReader(views),
        unit_performance=UnitPerformanceReader(views, calendar),
        request_stats=RequestStatsReader(views),
        project_stats=ProjectStatsReader(views)),
        clock, units, policy_of(settings), settings.nearly_due_days, open_items=(reporting,),
        industries=industries)
    dashboard = Dashboard(reads, DashboardReader(views, calendar), reporting, clock, units,
                          settings.nearly_due_days)
    return ReadSide(reads, reports, dashboard, reporting)
