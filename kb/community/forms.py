"""Forms of the community pages; validation only, the services write (and check again)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb import plans
from kb.community.models import BODY_LIMIT, TITLE_LIMITS
from kb.forms import choices, length, required
from kb.products import service as products

PLAN_PAIRS = [(plan, f"{plans.plan_name(plan)} and above") for plan in plans.PLANS]


class AskForm(FlaskForm):
    space = SelectField("Space", validators=[required("a space", "Choose")],
                        invalid_choice_message="Choose a space from the list.",
                        description="The product (or programme) your question is about.")
    title = StringField("Title", validators=[required("a title"),
                                            length("the title", *TITLE_LIMITS)],
                        description="One sentence: what do you want to know?")
    body = TextAreaField("Details (Markdown)",
                         validators=[required("the details"),
                                     length("the details", max=BODY_LIMIT)],
                         description="Versions, what you tried, error messages. Code in "
                                     "```fences```.", render_kw={"rows": 10})

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.space.choices = choices((space.slug, space.name) for space in spaces)


class EditQuestionForm(FlaskForm):
    title = StringField("Title", validators=[required("a title"),
                                            length("the title", *TITLE_LIMITS)])
    body = TextAreaField("Details (Markdown)",
                         validators=[required("the details"),
                                     length("the details", max=BODY_LIMIT)],
                         render_kw={"rows": 10})


class AnswerForm(FlaskForm):
    body = TextAreaField("Your answer (Markdown)",
                         validators=[required("your answer", "Write"),
                                     length("your answer", max=BODY_LIMIT)],
                         render_kw={"rows": 8})


class NoteForm(FlaskForm):
    """A short reason: why an answer is outdated, why something was hidden."""

    note = StringField("Note", validators=[Optional(), length("the note", max=500)])


class MergeForm(FlaskForm):
    target_id = SelectField("Merge into",
                            validators=[required("the question this one repeats", "Choose")],
                            invalid_choice_message="Choose a question of this space from the "
                                                   "list.",
                            description="The question this one repeats (same space).")


class SpaceForm(FlaskForm):
    name = StringField("Name", validators=[
        DataRequired(message="Give the space a name."),
        Length(min=3, max=200, message="Give a name of 3 to 200 characters.")])
    product = SelectField("Product", validators=[Optional()],
                          invalid_choice_message="Choose a product from the list, or none.")
    min_plan = SelectField("Open to", choices=choices(PLAN_PAIRS), default=plans.LOWEST_PLAN,
                           invalid_choice_message="Choose the plans it is open to from the list.")
    description = TextAreaField("Description",
                                validators=[Optional(), length("the description", max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = choices([("", "(no one product)")] + [
            (product.name, product.name) for product in products.all_products()])
