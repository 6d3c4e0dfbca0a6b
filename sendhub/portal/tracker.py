"""The tracker's words: who does each step and what it means, for a family and in easy read. Pure Python."""

RESPONSIBLE = {
    "decision_whether_to_assess": "The council's SEND team",
    "advice": "The professional asked for advice",
    "decision_not_to_issue_plan": "The council's SEND team",
    "final_not_before": "You: this is your time to comment on the draft",
    "final_plan": "The council's SEND team",
    "annual_review": "The school or college, who arrange the review meeting",
    "early_years_review": "The setting, who arrange the review meeting",
    "phase_transfer": "The council's SEND team",
    "review_report": "The school or college",
    "la_review_decision": "The council's SEND team",
    "amended_plan": "The council's SEND team",
}

EASY_READ = {
    "decision_whether_to_assess": "The council decides if they will find out more about your needs.",
    "advice": "A professional writes about your needs.",
    "decision_not_to_issue_plan": "The council decides about a plan.",
    "final_not_before": "You can tell us what you think of the draft plan.",
    "final_plan": "The council sends you your plan.",
    "annual_review": "A meeting to talk about your plan. You can come and say what you think.",
    "early_years_review": "A meeting to talk about the plan.",
    "phase_transfer": "The council checks your plan before you move school or college.",
    "review_report": "The school writes down what was said at the meeting.",
    "la_review_decision": "The council decides if your plan needs to change.",
    "amended_plan": "The council sends you your changed plan.",
}

STAGE_EXPLAINED = {
    "deciding_to_assess": "The council is deciding whether to carry out an EHC needs assessment.",
    "gathering_advice": "The council is gathering advice from the professionals who know the child.",
    "deciding_plan": "The council has the advice and is deciding whether to issue an EHC plan.",
    "drafting": "The council is writing the draft plan.",
    "draft_with_family": "The draft plan has been sent to you for your comments.",
    "awaiting_meeting": "The annual review meeting is being arranged.",
    "awaiting_report": "The meeting has been held. The school is writing the report.",
    "awaiting_decision": "The report has been sent. The council is deciding whether to change the plan.",
    "drafting_amendments": "The council decided to change the plan and is writing the changes.",
    "amendments_with_family": "The proposed changes have been sent to you for your comments.",
}


def responsible_for(key: str) -> str:
    return RESPONSIBLE[key.split(":", 1)[0]]


def easy_read_for(key: str) -> str:
    return EASY_READ[key.split(":", 1)[0]]
