"""The office's reports (R8, R9, R11): filling control and remarks, performance, attendance,
program fulfilment. Pure rules beside the set-based SQL that feeds them (``queries``)."""
