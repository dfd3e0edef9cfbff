"""Tests of coopflow.exceptions: the error tree and the attributes each error carries."""

import pytest

import coopflow as cf
from coopflow import exceptions


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (cf.InvalidProcessError, ValueError),
        (cf.InvalidEventError, ValueError),
        (cf.UnknownNameError, LookupError),
        (cf.TransitionRefused, Exception),
        (cf.TrajectoryError, ValueError),
        (cf.ConflictError, Exception),
        (cf.MissingExtraError, ModuleNotFoundError),
        (cf.StoreError, Exception),
    ],
)
def test_every_error_derives_from_the_root_and_its_builtin(
    error: type[Exception], builtin: type[Exception]
) -> None:
    """Each error is a CoopflowError and also the built-in exception its case resembles."""
    assert (issubclass(error, cf.CoopflowError), issubclass(error, builtin)) == (True, True)


def test_the_root_error_is_an_exception() -> None:
    """CoopflowError derives from Exception, so ordinary handlers catch it."""
    assert issubclass(cf.CoopflowError, Exception) is True


def test_the_module_exports_exactly_the_error_tree() -> None:
    """exceptions.__all__ lists the eight errors, sorted."""
    expected = [
        "ConflictError",
        "CoopflowError",
        "GuardError",
        "InvalidEventError",
        "InvalidProcessError",
        "MissingExtraError",
        "StoreError",
        "TrajectoryError",
        "TransitionRefused",
        "UnknownNameError",
    ]
    assert exceptions.__all__ == expected


def test_invalid_process_error_keeps_every_problem_as_a_tuple() -> None:
    """InvalidProcessError turns the list of problems into a tuple, in order."""
    error = cf.InvalidProcessError(["first problem", "second problem"])
    assert error.problems == ("first problem", "second problem")


def test_invalid_process_error_message_joins_the_problems() -> None:
    """The message of InvalidProcessError names every problem, separated by semicolons."""
    error = cf.InvalidProcessError(("a is wrong", "b is wrong"))
    assert str(error) == "invalid process: a is wrong; b is wrong"


def test_invalid_process_error_is_raised_by_bad_settings() -> None:
    """Settings with the regression threshold above the entry threshold raise with the problem."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Settings(entry_threshold=2.5, regression_threshold=3.0)
    assert caught.value.problems == ("regression_threshold 3.0 is above entry_threshold 2.5",)


def test_invalid_event_error_carries_field_value_and_reason() -> None:
    """InvalidEventError keeps the offending field, value and reason as attributes."""
    error = cf.InvalidEventError("score", 7.5, "is off the scale")
    assert (error.field, error.value, error.reason) == ("score", 7.5, "is off the scale")


def test_invalid_event_error_message_shows_the_value_repr() -> None:
    """The message of InvalidEventError is field=repr(value): reason."""
    error = cf.InvalidEventError("party", "x", "is not a party of this trajectory")
    assert str(error) == "party='x': is not a party of this trajectory"


def test_unknown_name_error_carries_kind_and_name() -> None:
    """UnknownNameError keeps what kind of name was asked for and the name."""
    error = cf.UnknownNameError("state", "nowhere")
    assert (error.kind, error.name) == ("state", "nowhere")


def test_unknown_name_error_message_without_reason() -> None:
    """Without a reason the message is 'unknown <kind> <name>'."""
    assert str(cf.UnknownNameError("state", "nowhere")) == "unknown state 'nowhere'"


def test_unknown_name_error_message_with_reason() -> None:
    """With a reason the message ends with it."""
    error = cf.UnknownNameError("locale", "fr", "coopflow speaks 'en' and 'nl'")
    assert str(error) == "unknown locale 'fr': coopflow speaks 'en' and 'nl'"


def test_unknown_name_error_has_no_choices_unless_given() -> None:
    """Without choices, `choices` is empty and the message lists nothing."""
    assert cf.UnknownNameError("state", "nowhere").choices == ()


def test_unknown_name_error_lists_its_choices() -> None:
    """With choices, they are kept as a tuple and the message ends with them."""
    error = cf.UnknownNameError("example process", "pilott", choices=iter(["default", "pilot"]))
    assert error.choices == ("default", "pilot")
    assert str(error) == "unknown example process 'pilott' (choose from: default, pilot)"


def test_unknown_name_error_is_caught_as_lookup_error() -> None:
    """Code that catches LookupError also catches an unknown state of a process."""
    with pytest.raises(LookupError) as caught:
        cf.default_process().state("nowhere")
    assert isinstance(caught.value, cf.UnknownNameError) is True


def test_transition_refused_carries_the_explanation() -> None:
    """TransitionRefused keeps the explanation of the refusal and says it in English."""
    explanation = cf.Explanation("organise", "exploring", False, False)
    refusal = cf.TransitionRefused(explanation)
    assert (refusal.explanation, str(refusal)) == (
        explanation,
        "‘organise’ is not possible from the exploring phase",
    )


def test_transition_refused_is_raised_by_a_failing_guard() -> None:
    """Firing a trigger whose guard fails raises TransitionRefused with a non-allowed answer."""
    t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
    with pytest.raises(cf.TransitionRefused) as caught:
        t.fire("form_culture")
    assert (caught.value.explanation.trigger, caught.value.explanation.allowed) == (
        "form_culture",
        False,
    )


def test_trajectory_error_is_raised_for_an_unreadable_store() -> None:
    """Loading text that is not a stored trajectory raises TrajectoryError."""
    with pytest.raises(cf.TrajectoryError) as caught:
        cf.loads("not json", process=cf.default_process())
    assert isinstance(caught.value, ValueError) is True


def test_conflict_error_keeps_its_message() -> None:
    """ConflictError is a plain CoopflowError carrying its message."""
    assert str(cf.ConflictError("lost the race")) == "lost the race"


def test_missing_extra_error_names_the_module_the_extra_and_who_needs_it() -> None:
    """MissingExtraError keeps the module, the extra and the part of coopflow that needs it."""
    error = cf.MissingExtraError("hypothesis", extra="testing", needed_by="coopflow.testing.x")
    assert (error.name, error.extra, error.needed_by) == (
        "hypothesis",
        "testing",
        "coopflow.testing.x",
    )
    assert str(error) == (
        "coopflow.testing.x needs hypothesis, which cannot be imported: "
        "pip install 'coopflow[testing]'"
    )


def test_missing_extra_error_is_caught_as_an_import_error() -> None:
    """Code that catches ImportError (pytest.importorskip, optional imports) also catches it."""
    with pytest.raises(ImportError) as caught:
        raise cf.MissingExtraError("hypothesis", extra="testing", needed_by="coopflow.testing")
    assert isinstance(caught.value, cf.CoopflowError) is True


def test_store_error_keeps_its_message_and_the_driver_error() -> None:
    """StoreError carries the driver's error as `cause` (None when there is none)."""
    cause = OSError("disk full")
    assert (str(cf.StoreError("cannot write", cause)), cf.StoreError("x", cause).cause) == (
        "cannot write",
        cause,
    )
    assert cf.StoreError("closed").cause is None


def test_exceptions_answers_shown_for_older_imports_and_nothing_else() -> None:
    """`shown` moved to coopflow._text; the exceptions module still gives it (not in its
    namespace) and any other missing name is an AttributeError."""
    from coopflow import _text, exceptions

    assert (exceptions.shown is _text.shown, "shown" in vars(exceptions)) == (True, False)
    with pytest.raises(AttributeError, match="nothing"):
        exceptions.nothing  # noqa: B018
