"""Forms of the programme pages: a customer's application, and staff opening or editing a
programme, answering an application and restricting a patch to the programme."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from kb.forms import length, readable
from kb.programmes.service import MAX_SEATS, NOTE_LIMIT, TEXT_LIMIT, ProgrammeFields

DAY_AS_DATE = "Give the day as a date, such as 2030-01-31."


class ApplicationForm(FlaskForm):
    note = TextAreaField("Why your organisation would like to take part (optional)",
                         validators=[Optional(), length("the note", max=NOTE_LIMIT)])


class ProgrammeForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the programme a title."),
                                             length("the title", min=3, max=200)])
    product = StringField("Product", validators=[DataRequired(message="Name the product."),
                                                 length("the product", max=200)])
    offer = TextAreaField("What is offered",
                          validators=[Optional(), length("what is offered", max=TEXT_LIMIT)])
    conditions = TextAreaField("Conditions",
                               validators=[Optional(), length("the conditions", max=TEXT_LIMIT)])
    seats = IntegerField("Seats (organisations)", default=5, validators=[
        InputRequired(message="How many organisations?"), readable,
        NumberRange(1, MAX_SEATS, message=f"Give from 1 to {MAX_SEATS:,} seats.")],
        invalid_value_message="Give the seats as a whole number, such as 5.")
    opens_on = DateField("Takes applications from",
                         validators=[InputRequired(message="Choose the opening day.")],
                         invalid_value_message=DAY_AS_DATE)
    ends_on = DateField("Ends on (last day)", validators=[InputRequired(message="Choose the end.")],
                        invalid_value_message=DAY_AS_DATE)

    @classmethod
    def of(cls, programme) -> ProgrammeForm:
        return cls(title=programme.title, product=programme.product.name,
                   offer=programme.offer, conditions=programme.conditions,
                   seats=programme.seats, opens_on=programme.opens_on,
                   ends_on=programme.ends_on)

    def fields(self) -> ProgrammeFields:
        return ProgrammeFields(self.title.data, self.product.data, self.offer.data or "",
                               self.conditions.data or "", self.seats.data, self.opens_on.data,
                               self.ends_on.data)


class DecisionForm(FlaskForm):
    answer = StringField("Word to the organisation (optional)",
                         validators=[Optional(),
                                     length("the word to the organisation", max=NOTE_LIMIT)])


class RestrictForm(FlaskForm):
    """Keep one of the product's patches or articles to the programme (``prefix`` names the
    kind, so that the page's two forms do not share field names)."""

    item = SelectField(validators=[DataRequired(message="Choose one.")],
                       invalid_choice_message="Choose one from the list.")
