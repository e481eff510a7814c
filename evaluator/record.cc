#include "evaluator/record.h"
