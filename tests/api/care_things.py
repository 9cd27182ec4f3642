"""Records of pain-aware care for the access matrix (tests/api/test_access_matrix.py), made
only for the operations that name them: PAUSE1, P1's pause, and PROP1, an open proposal to
take the next step of PROG1's item (its next step set for it)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hep.db import db
from hep.models import Program, StepProposal, User
from hep.pauses import start_pause
from hep.programs import view
from hep.steps import item_state

CARE_NAMES = re.compile(r"\{(PAUSE1|PROP1)\}")


def care_things(things: dict[str, Any]) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    patient = db.session.get_one(User, things["P1"])
    pause = start_pause(db.session, patient, "flare_up", now, window_days=7)
    program = db.session.get_one(Program, things["PROG1"])
    item = view(db.session, program).items[0][0]
    item.next_step = {"exercise_id": None, "reps": 8}
    proposal = StepProposal(
        patient_id=patient.id,
        program_id=program.id,
        item_key=item.item_key,
        direction="progress",
        status="open",
        from_version=program.current_version,
        step=item.next_step,
        evidence={"from": item_state(item), "sessions": []},
        words="Ready for more",
        created_at=now,
    )
    db.session.add(proposal)
    db.session.commit()
    return {"PAUSE1": pause.id, "PROP1": proposal.id}
