/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a knob is and does, in one or two sentences for a reader who knows
 * Linux but not ostune: the mechanism and units of its class
 * (docs/knobs.md) and, for the knobs tuning most often touches, what
 * raising or lowering it trades. The llm tuner's prompt uses it.
 */
#ifndef OSTUNE_KNOBINFO_H
#define OSTUNE_KNOBINFO_H

/* Its class's text, then the knob's own when there is one; never NULL. */
const char *knob_class_meaning(const char *name);
/* The knob's own text, or NULL. */
const char *knob_meaning(const char *name);

#endif /* OSTUNE_KNOBINFO_H */
