"""Read models built in the background, so that no read waits for a build.

``Warmer(models).start()`` turns it on for one process's ``ReadModels`` (``kodeks serve`` does; the
CLI and the tests build lazily, on the first read). Then a model is built by one daemon thread:

- **at start**, for every classification in the registry;
- **after a commit that registered something** in this process (an import, a publication), for the
  classifications it wrote and every one held before;
- **when a new generation is first seen** (a registration in another worker or replica), for every
  classification held before (``ReadModels.models_for`` hands them over);
- **on a miss**: a unit of work that finds no model reads the database this time and asks for one.

One model at a time, for the newest generation only (a build overtaken by a newer generation is
dropped by ``ReadModels.admit``), each in a short transaction of its own, within the memory budget.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Iterable

from kodeks.storage.generation import Generation, read_generation
from kodeks.storage.read_model import ClassificationModel, ReadModels, known_since
from kodeks.storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger("kodeks.read_model")

#: A job: build ``cids`` (``None``: every classification) for ``generation`` (``None``: the current one).
Job = tuple[Generation | None, tuple[str, ...] | None]
STOP: Job = ((-1, -1, -1, None, None), ())


class Warmer:
    def __init__(self, models: ReadModels) -> None:
        self.models = models
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._pending = 0
        self._asked: set[tuple[Generation, str]] = set()  # misses already queued
        self._thread: threading.Thread | None = None
        self._pid = 0

    def start(self) -> Warmer:
        """Build every classification now, and keep ``models`` warm from here on."""
        self.models.warmer = self
        self._put((None, None))
        return self

    # -- what the read models and the units of work ask for ----------------------------------------
    def after_commit(self, cids: Iterable[str]) -> None:
        self._put((None, tuple(cids)))

    def schedule(self, generation: Generation, cids: Iterable[str]) -> None:
        self._put((generation, tuple(cids)))

    def missed(self, generation: Generation, cid: str) -> None:
        """A read found no model of ``cid``: build it (once, however many reads miss meanwhile)."""
        with self._idle:
            if (generation, cid) in self._asked:
                return
            self._asked.add((generation, cid))
        self._put((generation, (cid,)))

    def close(self) -> None:
        """Stop warming: the thread ends after the job under way; reads build lazily again."""
        if self.models.warmer is self:
            self.models.warmer = None
        self._jobs.put(STOP)

    def wait(self, timeout: float) -> bool:
        """Whether every job asked for so far is done, waiting at most ``timeout`` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    # -- the thread ---------------------------------------------------------------------------------
    def _put(self, job: Job) -> None:
        with self._idle:
            self._pending += 1
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="kodeks-read-models", daemon=True)
                self._pid = os.getpid()
                self._thread.start()
        self._jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is STOP:
                return
            try:
                self._work(*job)
            except Exception:
                log.exception("building a read model in the background failed; reads use the database")
            finally:
                with self._idle:
                    self._pending -= 1
                    if self._pending == 0:
                        self._asked.clear()
                    self._idle.notify_all()

    def _work(self, generation: Generation | None, cids: tuple[str, ...] | None) -> None:
        engine = self.models.engine
        todo = list(cids) if cids is not None else None
        while True:
            with SqlUnitOfWork(engine) as uow:
                current = read_generation(uow.conn)
                since = known_since(current)
                if (generation is not None and current != generation) or since is None:
                    return  # overtaken: the newer generation's jobs build what it needs
                models = self.models.models_for(current)  # hands over the models held before
                if todo is None:
                    todo = [c.id for c in uow.classifications(since)]
                todo = [cid for cid in todo if cid not in models]
                if not todo:
                    return
                cid = todo.pop(0)
                model = ClassificationModel.of(uow.classification(cid, since), uow.facts_known_at(cid, since))
            if not self.models.admit(current, cid, model) and self.models.generation != current:
                self._put((None, (cid, *todo)))  # the registry moved on while building: build it anew
                return
