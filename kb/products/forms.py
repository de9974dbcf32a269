"""Staff forms for products and their versions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ProductForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=5000)])


class VersionForm(FlaskForm):
    version_name = StringField("Version", validators=[DataRequired(), Length(max=60)])
    released_on = DateField("Released on", validators=[Optional()])
