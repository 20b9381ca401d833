"""The composition root: builds the ledger, use cases, read models and follower once, for
the API, the CLI and the tests alike."""

from __future__ import annotations

from dataclasses import dataclass

from application.accounts import AccountService
from application.calendar import ChineseWorkingCalendar, DeadlinePolicy
from application.calendar_sync import (
    SyncResult,
    complaint_recomputer,
    project_recomputer,
    sync_calendar,
)
from application.complaints import ComplaintService
from application.context import Caller, Clock
from application.enterprises import EnterpriseService
from application.ledger import Ledger, build_ledger
from application.persistence import Database
from application.projects import ProjectService
from application.requests import RequestService, request_recomputer
from application.settings import Settings
from application.store import Store
from application.units import Units
from projections.base import Projection
from projections.complaint_ledger import ComplaintLedger
from projections.enterprise_ledger import EnterpriseLedger
from projections.follower import Follower
from projections.project_ledger import ProjectLedger
from projections.request_ledger import RequestLedger
from projections.store import ViewStore
from projections.supervision import SupervisionItems

CALENDAR_CALLER = Caller(account_id="system", name="calendar sync (工作日历)", role="admin",
                         correlation_id="calendar-sync")


def all_projections() -> list[Projection]:
    return [ProjectLedger(), RequestLedger(), EnterpriseLedger(), ComplaintLedger(),
            SupervisionItems()]


@dataclass
class Container:
    settings: Settings
    ledger: Ledger
    store: Store
    units: Units
    clock: Clock
    calendar: ChineseWorkingCalendar
    policy: DeadlinePolicy
    accounts: AccountService
    projects: ProjectService
    complaints: ComplaintService
    enterprises: EnterpriseService
    requests: RequestService
    views: ViewStore
    follower: Follower
    following: bool = False

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
        return sync_calendar(
            self.store, self.calendar, CALENDAR_CALLER,
            [project_recomputer(self.projects.recompute_provisional),
             complaint_recomputer(self.complaints.recompute_provisional),
             request_recomputer(self.requests.recompute_provisional)],
            range(2004, today.year + 3))

    def close(self) -> None:
        if self.following:
            self.follower.stop()
            self.following = False
        self.views.close()
        self.ledger.close()


def policy_of(settings: Settings) -> DeadlinePolicy:
    return DeadlinePolicy(
        acceptance_days=settings.acceptance_days, acknowledge_days=settings.acknowledge_days,
        reply_days=settings.reply_days, callback_days=settings.callback_days,
        request_days=settings.request_days, problem_days=settings.problem_days,
        instruction_days=settings.instruction_days)


def build(settings: Settings | None = None, clock: Clock | None = None) -> Container:
    settings = settings or Settings()
    ledger = build_ledger(settings)
    store = Store(ledger)
    units = Units.load(settings.units_file)
    clock = clock or Clock(settings.timezone)
    calendar = ChineseWorkingCalendar(settings.calendar_overrides_file)
    policy = policy_of(settings)
    views_url = settings.views_database_url or Database.parse(settings.database_url).views_url()
    views = ViewStore(views_url, pool_size=settings.postgres_pool_size)
    follower = Follower(ledger, views, all_projections(), settings.projection_batch_size)
    enterprises = EnterpriseService(store, units, clock)
    return Container(
        settings=settings, ledger=ledger, store=store, units=units, clock=clock,
        calendar=calendar, policy=policy, accounts=AccountService(store, units),
        projects=ProjectService(store, units, clock, calendar, policy),
        complaints=ComplaintService(store, units, clock, calendar, policy),
        enterprises=enterprises,
        requests=RequestService(store, units, clock, calendar, policy, enterprises),
        views=views, follower=follower,
    )
