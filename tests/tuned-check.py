#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Load a TuneD profile written by `ostune export --format tuned` with
# TuneD's own profile loader (Debian's tuned package), check that every
# [scheduler] and [cpu] option is one TuneD's plugin knows, and that the
# profile sets every knob of the matching `ostune export --format profile`
# file to its value, or names it in its "Left out" comment. Prints what is
# wrong and exits 1, or prints the units and exits 0.
#
# Usage: tests/tuned-check.py PROFILE_DIR PROFILE.json

import json
import os
import sys

from tuned.profiles.factory import Factory
from tuned.profiles.loader import Loader
from tuned.profiles.locator import Locator
from tuned.profiles.merger import Merger
from tuned.profiles.variables import Variables
from tuned.utils.global_config import GlobalConfig
from tuned.plugins.plugin_cpu import CPULatencyPlugin
from tuned.plugins.plugin_net import NetTuningPlugin
from tuned.plugins.plugin_scheduler import SchedulerPlugin

profile_dir, knobs_file = sys.argv[1], sys.argv[2]
loader = Loader(Locator([os.path.dirname(os.path.abspath(profile_dir))]),
                Factory(), Merger(), GlobalConfig(), Variables())
profile = loader.load(os.path.basename(os.path.abspath(profile_dir)))
units = {name: dict(unit.options) for name, unit in profile.units.items()}
types = {name: unit.type for name, unit in profile.units.items()}
for name, options in sorted(units.items()):
    print(f'[{name}]', options)

errors = []
known = {'scheduler': SchedulerPlugin._get_config_options(),
         'cpu': CPULatencyPlugin._get_config_options()}
for unit, options in known.items():
    for key in units.get(unit, {}):
        if key not in options:
            errors.append(f'[{unit}] {key}: not an option of TuneD\'s {unit} plugin')

# a nic unit's coalesce= and ring= words are the net plugin's
net_words = {'coalesce': NetTuningPlugin._get_config_options_coalesce(),
             'ring': NetTuningPlugin._get_config_options_ring()}
for unit, options in units.items():
    if types[unit] != 'net':
        continue
    for option, words in net_words.items():
        pairs = options.get(option, '').split()
        for word in pairs[::2]:
            if word not in words:
                errors.append(f'[{unit}] {option}: {word} is not a word of TuneD\'s net plugin')

with open(os.path.join(profile_dir, 'tuned.conf')) as f:
    left_out = [line for line in f if line.startswith('#   ')]


def tuned_setting(name):
    """(unit, option) where the profile should set this knob"""
    cls, _, rest = name.partition('.')
    cpu = rest.split('.')[0][3:]
    if cls == 'sysctl':
        return 'sysctl', rest
    if cls == 'sched':
        if ('sched_' + rest) in known['scheduler']:
            return 'scheduler', 'sched_' + rest
        if rest.replace('.', '_') in known['scheduler']:
            return 'scheduler', rest.replace('.', '_')
        return 'sysfs', '/sys/kernel/debug/sched/' + rest.replace('.', '/')
    if name == 'pmqos.cpu_latency_us':
        return 'cpu', 'force_latency'
    if cls == 'idle':
        state = rest.split('.')[1][5:]
        return 'sysfs', f'/sys/devices/system/cpu/cpu{cpu}/cpuidle/state{state}/disable'
    if cls == 'pmqos':
        return 'sysfs', f'/sys/devices/system/cpu/cpu{cpu}/power/pm_qos_resume_latency_us'
    if cls == 'freq':
        policy = rest.split('.')[0][6:]
        which = 'min' if rest.endswith('min_khz') else 'max'
        return 'sysfs', f'/sys/devices/system/cpu/cpufreq/policy{policy}/scaling_{which}_freq'
    return None, None


# nic.IF.PARAM: (unit, option, word) of its [net_IF] unit, or None
ETHTOOL_WORDS = {'rx_ring': ('ring', 'rx'), 'tx_ring': ('ring', 'tx')}


def net_setting(name):
    cls, _, rest = name.partition('.')
    ifname, _, param = rest.rpartition('.')
    if cls != 'nic' or param in ('rps_cpus', 'rps_flow_cnt', 'xps_cpus'):
        return None
    option, word = ETHTOOL_WORDS.get(param, ('coalesce', param.replace('_', '-')))
    return 'net_' + ifname, option, word


def tuned_value(name, value):
    if name.startswith('pmqos.cpu') and name != 'pmqos.cpu_latency_us':
        return {'none': '0', '0': 'n/a'}.get(value, value)
    return value


with open(knobs_file) as f:
    knobs = json.load(f)['knobs']
for name, value in knobs.items():
    if any(line.startswith(f'#   {name} = {value}:') for line in left_out):
        continue
    net = net_setting(name)
    if net:
        unit, option, word = net
        pairs = units.get(unit, {}).get(option, '').split()
        want = {'1': 'on', '0': 'off'}[value] if word.startswith('adaptive') else value
        if dict(zip(pairs[::2], pairs[1::2])).get(word) != want:
            errors.append(f'{name} = {value}: [{unit}] {option} is {pairs!r}, and not left out')
        continue
    unit, option = tuned_setting(name)
    got = units.get(unit, {}).get(option)
    if got != tuned_value(name, value):
        errors.append(f'{name} = {value}: [{unit}] {option} is {got!r}, and not left out')

for error in errors:
    print(error)
sys.exit(1 if errors else 0)
